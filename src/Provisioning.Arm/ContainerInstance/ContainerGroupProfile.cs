using System.Globalization;
using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>
/// What ACI cannot update in place on an existing container group: the OS type, the restart policy, the network
/// profile (IP address type, subnets) and each container's CPU, memory and GPU. A PUT that changes any of them is
/// refused ("the updates on container group … are invalid … delete it first"); the group must be deleted and created.
/// </summary>
/// <param name="OsType">The OS type.</param>
/// <param name="RestartPolicy">The restart policy (Azure's default, <c>Always</c>, when unset).</param>
/// <param name="Network">The IP address type (or <c>None</c>) and the subnet ids, as one comparable text.</param>
/// <param name="Resources">Each container's requested CPU, memory and GPU, as comparable text, by container name.</param>
public sealed record ContainerGroupProfile(string OsType, string RestartPolicy, string Network, IReadOnlyDictionary<string, string> Resources)
{
    /// <summary>The profile a definition asks for.</summary>
    /// <param name="definition">The container group to deploy.</param>
    public static ContainerGroupProfile Of(ContainerGroupDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return FromArm(definition.Properties.ToArmJson());
    }

    /// <summary>The profile an ARM body (<c>{location, tags, properties}</c>) asks for.</summary>
    /// <param name="body">The container group body to PUT.</param>
    public static ContainerGroupProfile OfBody(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return FromArm(body["properties"]);
    }

    /// <summary>
    /// The properties that differ from <paramref name="wanted"/> and that ACI cannot update in place; empty when an
    /// update in place is allowed. Containers that only one side has are not compared (adding one is an update).
    /// </summary>
    /// <param name="wanted">The profile of the PUT about to be sent.</param>
    public IReadOnlyList<string> RestrictedChanges(ContainerGroupProfile wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var changes = new List<string>();
        if (!string.Equals(OsType, wanted.OsType, StringComparison.OrdinalIgnoreCase))
        {
            changes.Add($"osType {OsType} → {wanted.OsType}");
        }

        if (!string.Equals(RestartPolicy, wanted.RestartPolicy, StringComparison.OrdinalIgnoreCase))
        {
            changes.Add($"restartPolicy {RestartPolicy} → {wanted.RestartPolicy}");
        }

        if (!string.Equals(Network, wanted.Network, StringComparison.OrdinalIgnoreCase))
        {
            changes.Add($"network profile {Network} → {wanted.Network}");
        }

        foreach (var (name, resources) in wanted.Resources.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (Resources.TryGetValue(name, out var current) && !string.Equals(current, resources, StringComparison.Ordinal))
            {
                changes.Add($"container '{name}' resources {current} → {resources}");
            }
        }

        return changes;
    }

    /// <summary>The profile of a container group's ARM <c>properties</c>.</summary>
    internal static ContainerGroupProfile FromArm(JsonNode? properties)
    {
        var ip = properties?["ipAddress"];
        var subnets = JsonRead.Objects(properties?["subnetIds"])
            .Select(subnet => (JsonRead.String(subnet["id"]) ?? string.Empty).ToUpperInvariant())
            .Order(StringComparer.Ordinal);
        var network = (JsonRead.String(ip?["type"]) ?? "None") + (subnets.Any() ? " in " + string.Join(", ", subnets) : string.Empty);
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var container in JsonRead.Objects(properties?["containers"]))
        {
            var requests = container["properties"]?["resources"]?["requests"];
            var gpu = requests?["gpu"];
            resources[JsonRead.String(container["name"]) ?? string.Empty] = string.Format(
                CultureInfo.InvariantCulture,
                "cpu {0}, memoryInGB {1}{2}",
                Number(requests?["cpu"]),
                Number(requests?["memoryInGB"]),
                gpu is null ? string.Empty : $", gpu {JsonRead.Int(gpu["count"])} {JsonRead.String(gpu["sku"])}");
        }

        return new ContainerGroupProfile(
            JsonRead.String(properties?["osType"]) ?? "Linux",
            JsonRead.String(properties?["restartPolicy"]) ?? "Always",
            network,
            resources);
    }

    private static string Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number.ToString("0.###", CultureInfo.InvariantCulture) : "?";
}
