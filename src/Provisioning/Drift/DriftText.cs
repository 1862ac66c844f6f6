using System.Text.Json.Nodes;

namespace Provisioning.Drift;

/// <summary>
/// The comparable forms of what every workload kind's drift compares: a listed resource's strings, its identity, the
/// registries it pulls from, and its containers' images. Each form ignores what ARM may reorder or re-case.
/// </summary>
internal static class DriftText
{
    /// <summary>A string field of a listed resource; null when absent or not a string.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// An <c>identity</c> object as text: its types, sorted (services write "SystemAssigned, UserAssigned" with or
    /// without the space), then the user-assigned identity ids, lower case and sorted (ARM keys them by id, in any case).
    /// </summary>
    public static string Identity(JsonNode? identity)
    {
        var types = (Text(identity?["type"]) ?? "None").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.OrdinalIgnoreCase);
        var ids = (identity?["userAssignedIdentities"] as JsonObject ?? []).Select(pair => pair.Key.ToLowerInvariant()).Order(StringComparer.Ordinal);
        return string.Join(' ', [string.Join(",", types), .. ids]);
    }

    /// <summary>
    /// Registry entries (<c>{server, identity}</c> or <c>{server, username}</c>) as text: server and identity (or user
    /// name) of each, sorted; "none" when there are none. Passwords are never returned, so never compared.
    /// </summary>
    public static string Registries(JsonNode? registries)
    {
        var entries = (registries as JsonArray ?? [])
            .Select(registry => $"{Text(registry?["server"])}:{Text(registry?["identity"]) ?? Text(registry?["username"])}".ToLowerInvariant())
            .Order(StringComparer.Ordinal)
            .ToArray();
        return entries.Length == 0 ? "none" : string.Join(", ", entries);
    }

    /// <summary>Each container's image by container name, from a <c>containers</c> array; <paramref name="image"/> reads a container's image.</summary>
    public static Dictionary<string, string> Images(JsonNode? containers, Func<JsonNode, JsonNode?> image)
    {
        var images = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var container in containers as JsonArray ?? [])
        {
            if (container is not null && Text(container["name"]) is { } name)
            {
                images[name] = Text(image(container)) ?? string.Empty;
            }
        }

        return images;
    }

    /// <summary>
    /// Adds a <see cref="DriftKind.WorkloadChanged"/> finding for each wanted container whose image differs or that is
    /// gone; <paramref name="path"/> names a container's image property.
    /// </summary>
    public static void CompareImages(
        List<DriftFinding> findings, string workloadId, IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> actual, Func<string, string> path)
    {
        foreach (var (name, image) in wanted)
        {
            if (!actual.TryGetValue(name, out var current))
            {
                findings.Add(new DriftFinding(workloadId, DriftKind.WorkloadChanged, workloadId, path(name), image, "no such container"));
            }
            else if (!string.Equals(current, image, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new DriftFinding(workloadId, DriftKind.WorkloadChanged, workloadId, path(name), image, current));
            }
        }
    }

    /// <summary>
    /// Adds a <see cref="DriftKind.WorkloadFailed"/> finding when a listed resource's <c>provisioningState</c> (under
    /// <paramref name="properties"/>) is Failed; returns that state, null when absent.
    /// </summary>
    public static string? CompareProvisioningState(List<DriftFinding> findings, string workloadId, JsonNode? properties)
    {
        var state = Text(properties?["provisioningState"]);
        if (string.Equals(state, "Failed", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(workloadId, DriftKind.WorkloadFailed, workloadId, "properties.provisioningState", "Succeeded", state!));
        }

        return state;
    }

    /// <summary>Adds a <see cref="DriftKind.WorkloadChanged"/> finding for <paramref name="property"/> when the two texts differ (ignoring case).</summary>
    public static void CompareText(List<DriftFinding> findings, string workloadId, string property, string wanted, string actual)
    {
        if (!string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(workloadId, DriftKind.WorkloadChanged, workloadId, property, wanted, actual));
        }
    }
}
