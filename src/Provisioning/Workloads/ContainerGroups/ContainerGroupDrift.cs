using System.Text.Json.Nodes;
using Provisioning.Arm;
using Provisioning.Drift;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>
/// Drift of a container group: listed with every group of its subscription in one collection; compared on what the
/// run set and a person changes by hand — each container's image, the identities, the registry credentials — and on
/// whether the group still runs (provisioning state Failed; instance state Stopped for a group that restarts Always).
/// Everything else (IP address, events, instance views of containers) is Azure's to change.
/// </summary>
internal sealed class ContainerGroupDrift : IWorkloadDrift
{
    public ArmListTarget ListTarget(ResolvedWorkload workload) =>
        new($"/subscriptions/{workload.ResourceId.SubscriptionId}/providers/{ContainerGroupKind.Type}", ArmApiVersions.ContainerGroups);

    public IReadOnlyList<DriftFinding> Compare(ResolvedWorkload desired, JsonObject? actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var id = desired.ResourceId.ToString();
        if (actual is null)
        {
            return [new DriftFinding(id, DriftKind.WorkloadDeleted, id, null, "the container group exists", "not found")];
        }

        var findings = new List<DriftFinding>();
        var properties = actual["properties"] as JsonObject;
        var wanted = desired.Body["properties"] as JsonObject;
        var state = Text(properties?["provisioningState"]);
        if (string.Equals(state, "Failed", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadFailed, id, "properties.provisioningState", "Succeeded", state!));
        }

        var restart = Text(wanted?["restartPolicy"]) ?? "Always";
        var instanceState = Text(properties?["instanceView"]?["state"]);
        if (restart.Equals("Always", StringComparison.OrdinalIgnoreCase) && string.Equals(instanceState, "Stopped", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadStopped, id, "properties.instanceView.state", "Running", instanceState!));
        }

        var images = Images(properties);
        foreach (var (name, image) in Images(wanted))
        {
            var path = $"properties.containers[{name}].properties.image";
            if (!images.TryGetValue(name, out var current))
            {
                findings.Add(new DriftFinding(id, DriftKind.WorkloadChanged, id, path, image, "no such container"));
            }
            else if (!string.Equals(current, image, StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new DriftFinding(id, DriftKind.WorkloadChanged, id, path, image, current));
            }
        }

        var wantedIdentity = IdentityText(desired.Body["identity"]);
        var actualIdentity = IdentityText(actual["identity"]);
        if (!string.Equals(wantedIdentity, actualIdentity, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadChanged, id, "identity", wantedIdentity, actualIdentity));
        }

        var wantedCredentials = CredentialsText(wanted);
        var actualCredentials = CredentialsText(properties);
        if (!string.Equals(wantedCredentials, actualCredentials, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadChanged, id, "properties.imageRegistryCredentials", wantedCredentials, actualCredentials));
        }

        return findings;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Dictionary<string, string> Images(JsonNode? properties)
    {
        var images = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var container in properties?["containers"] as JsonArray ?? [])
        {
            if (Text(container?["name"]) is { } name)
            {
                images[name] = Text(container!["properties"]?["image"]) ?? string.Empty;
            }
        }

        return images;
    }

    // The identity as comparable text: its type and the user-assigned identity ids, sorted (ARM keys them by id, in any case).
    private static string IdentityText(JsonNode? identity)
    {
        var type = Text(identity?["type"]) ?? "None";
        var ids = (identity?["userAssignedIdentities"] as JsonObject ?? []).Select(pair => pair.Key.ToLowerInvariant()).Order(StringComparer.Ordinal);
        return string.Join(' ', [type, .. ids]);
    }

    // The registry credentials as comparable text: server and identity (or user name) of each, sorted; passwords are never returned.
    private static string CredentialsText(JsonNode? properties)
    {
        var credentials = (properties?["imageRegistryCredentials"] as JsonArray ?? [])
            .Select(credential => $"{Text(credential?["server"])}:{Text(credential?["identity"]) ?? Text(credential?["username"])}".ToLowerInvariant())
            .Order(StringComparer.Ordinal)
            .ToArray();
        return credentials.Length == 0 ? "none" : string.Join(", ", credentials);
    }
}
