using System.Text.Json.Nodes;
using Provisioning.Arm;
using Provisioning.Arm.ContainerApps;
using Provisioning.Drift;

namespace Provisioning.Workloads.ContainerApps;

/// <summary>
/// Drift of a container app: listed with every app of its subscription in one collection (its list items are whole
/// apps, as a GET returns them); compared on what the run set and a person changes by hand — each container's image,
/// the identities, the registries it pulls from with an identity (<c>configuration.registries {server, identity}</c>) —
/// and on whether it still runs: provisioning state Failed, or a latest revision that never became ready (the list
/// item names both revisions, so this costs no call per app). The desired images are the body's: an app with a
/// system-assigned identity starts on a public placeholder, but the run's last PUT deploys the body's own images.
/// </summary>
internal sealed class ContainerAppDrift : IWorkloadDrift
{
    public ArmListTarget ListTarget(ResolvedWorkload workload) =>
        new($"/subscriptions/{workload.ResourceId.SubscriptionId}/providers/{ContainerAppClient.ResourceType}", ArmApiVersions.ContainerApps);

    public IReadOnlyList<DriftFinding> Compare(ResolvedWorkload desired, JsonObject? actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var id = desired.ResourceId.ToString();
        if (actual is null)
        {
            return [new DriftFinding(id, DriftKind.WorkloadDeleted, id, null, "the container app exists", "not found")];
        }

        var findings = new List<DriftFinding>();
        var properties = actual["properties"] as JsonObject;
        var wanted = desired.Body["properties"] as JsonObject;
        var state = Text(properties?["provisioningState"]);
        if (string.Equals(state, "Failed", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadFailed, id, "properties.provisioningState", "Succeeded", state!));
        }
        else if (!string.Equals(state, "InProgress", StringComparison.OrdinalIgnoreCase)
            && Text(properties?["latestRevisionName"]) is { } latest
            && !string.Equals(latest, Text(properties?["latestReadyRevisionName"]), StringComparison.OrdinalIgnoreCase))
        {
            // Settled, but its latest revision never became ready: the app serves an older revision, or nothing.
            findings.Add(new DriftFinding(id, DriftKind.WorkloadFailed, id, "properties.latestReadyRevisionName", latest, Text(properties?["latestReadyRevisionName"]) ?? "none"));
        }

        var images = Images(properties);
        foreach (var (name, image) in Images(wanted))
        {
            var path = $"properties.template.containers[{name}].image";
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

        var wantedRegistries = RegistriesText(wanted);
        var actualRegistries = RegistriesText(properties);
        if (!string.Equals(wantedRegistries, actualRegistries, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadChanged, id, "properties.configuration.registries", wantedRegistries, actualRegistries));
        }

        return findings;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Dictionary<string, string> Images(JsonNode? properties)
    {
        var images = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var container in properties?["template"]?["containers"] as JsonArray ?? [])
        {
            if (Text(container?["name"]) is { } name)
            {
                images[name] = Text(container!["image"]) ?? string.Empty;
            }
        }

        return images;
    }

    // The identity as comparable text: its types (Container Apps writes "SystemAssigned,UserAssigned"), sorted, then the
    // user-assigned ids, lower case and sorted (ARM keys them by id, in any case).
    private static string IdentityText(JsonNode? identity)
    {
        var types = (Text(identity?["type"]) ?? "None").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.OrdinalIgnoreCase);
        var ids = (identity?["userAssignedIdentities"] as JsonObject ?? []).Select(pair => pair.Key.ToLowerInvariant()).Order(StringComparer.Ordinal);
        return string.Join(' ', [string.Join(",", types), .. ids]);
    }

    // The registries as comparable text: server and identity (or user name) of each, sorted; secrets are never returned.
    private static string RegistriesText(JsonNode? properties)
    {
        var registries = (properties?["configuration"]?["registries"] as JsonArray ?? [])
            .Select(registry => $"{Text(registry?["server"])}:{Text(registry?["identity"]) ?? Text(registry?["username"])}".ToLowerInvariant())
            .Order(StringComparer.Ordinal)
            .ToArray();
        return registries.Length == 0 ? "none" : string.Join(", ", registries);
    }
}
