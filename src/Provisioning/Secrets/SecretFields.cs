using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Arm.Pipeline;

namespace Provisioning.Secrets;

/// <summary>
/// Protects the secret fields of a resource body before it is scheduled, and turns a body's protected values back
/// into plaintext. Fields are named by paths in a tiny syntax:
/// <c>properties.containers[*].properties.environmentVariables[*].secureValue</c> — property names separated by
/// dots (matched case-insensitively, as ARM does), <c>[*]</c> after a name for every element of that array, and
/// <c>*</c> as a name for every property of an object. Parts missing from a body are skipped.
/// </summary>
public static class SecretFields
{
    /// <summary>
    /// The secret fields of an Azure Container Instances container group body (<c>Microsoft.ContainerInstance/containerGroups</c>):
    /// the <c>secureValue</c> of containers' and init containers' environment variables, registry passwords, secret
    /// volumes' files, Azure Files storage keys and the Log Analytics workspace key. Azure never returns these on a GET.
    /// </summary>
    public static IReadOnlyList<string> ContainerGroup { get; } =
    [
        "properties.containers[*].properties.environmentVariables[*].secureValue",
        "properties.initContainers[*].properties.environmentVariables[*].secureValue",
        "properties.imageRegistryCredentials[*].password",
        "properties.volumes[*].secret.*",
        "properties.volumes[*].azureFile.storageAccountKey",
        "properties.diagnostics.logAnalytics.workspaceKey",
    ];

    /// <summary>A copy of <paramref name="body"/> in which every string at one of <paramref name="paths"/> is protected.</summary>
    /// <param name="body">A resource body (e.g. a bound template's workload).</param>
    /// <param name="paths">Paths of the secret fields (see <see cref="SecretFields"/>).</param>
    /// <param name="protector">Protects each value.</param>
    /// <returns>The copy; values already protected are left as they are, so protecting twice changes nothing.</returns>
    /// <exception cref="ArgumentException">A path is not in the syntax.</exception>
    public static JsonObject ProtectPaths(JsonObject body, IEnumerable<string> paths, SecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(protector);
        var parsed = paths.Select(SecretPath.Parse).ToList();
        var copy = (JsonObject)body.DeepClone();
        foreach (var path in parsed)
        {
            Apply(copy, path.Segments, 0, protector);
        }
        return copy;
    }

    /// <summary>A copy of <paramref name="body"/> in which every protected string, wherever it is, is replaced by its plaintext.</summary>
    /// <param name="body">A body, or null.</param>
    /// <param name="protector">Decrypts each value.</param>
    /// <returns>The copy (null for null).</returns>
    /// <exception cref="SecretUnprotectException">A value cannot be decrypted with this key ring.</exception>
    public static JsonNode? UnprotectAll(JsonNode? body, SecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        // The ARM client resolves request bodies with the same walk, so both sides agree on what "protected" means.
        return RequestBodySecrets.Resolve(body?.DeepClone(), protector);
    }

    // Applies segments[index..] to the value at node; returns what to store in its place (node itself unless it is a
    // string leaf that gets protected).
    private static JsonNode? Apply(JsonNode? node, IReadOnlyList<SecretPath.Segment> segments, int index, SecretProtector protector)
    {
        if (index == segments.Count)
        {
            return ProtectLeaf(node, protector);
        }
        if (node is not JsonObject obj)
        {
            return node;
        }
        var segment = segments[index];
        var names = obj.Where(property => segment.Name == "*" || property.Key.Equals(segment.Name, StringComparison.OrdinalIgnoreCase))
            .Select(property => property.Key)
            .ToList();
        foreach (var name in names)
        {
            var child = obj[name];
            if (child is null)
            {
                continue;
            }
            if (segment.EveryElement)
            {
                if (child is JsonArray array)
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        var item = array[i];
                        var replaced = Apply(item, segments, index + 1, protector);
                        if (!ReferenceEquals(replaced, item))
                        {
                            array[i] = replaced;
                        }
                    }
                }
                continue;
            }
            var value = Apply(child, segments, index + 1, protector);
            if (!ReferenceEquals(value, child))
            {
                obj[name] = value;
            }
        }
        return node;
    }

    private static JsonNode? ProtectLeaf(JsonNode? node, SecretProtector protector)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            return node;
        }
        var text = value.GetValue<string>();
        return protector.IsProtected(text) ? node : JsonValue.Create(protector.Protect(text));
    }
}
