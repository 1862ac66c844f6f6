using System.Text.Json.Nodes;
using Provisioning.Arm;
using Provisioning.Arm.ContainerApps;
using Provisioning.Drift;
using static Provisioning.Drift.DriftText;

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
        var state = DriftText.CompareProvisioningState(findings, id, properties);
        if (!string.Equals(state, "Failed", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(state, "InProgress", StringComparison.OrdinalIgnoreCase)
            && Text(properties?["latestRevisionName"]) is { } latest
            && !string.Equals(latest, Text(properties?["latestReadyRevisionName"]), StringComparison.OrdinalIgnoreCase))
        {
            // Settled, but its latest revision never became ready: the app serves an older revision, or nothing.
            findings.Add(new DriftFinding(id, DriftKind.WorkloadFailed, id, "properties.latestReadyRevisionName", latest, Text(properties?["latestReadyRevisionName"]) ?? "none"));
        }

        DriftText.CompareImages(findings, id, Images(wanted), Images(properties), name => $"properties.template.containers[{name}].image");
        DriftText.CompareText(findings, id, "identity", DriftText.Identity(desired.Body["identity"]), DriftText.Identity(actual["identity"]));
        DriftText.CompareText(
            findings, id, "properties.configuration.registries", DriftText.Registries(wanted?["configuration"]?["registries"]), DriftText.Registries(properties?["configuration"]?["registries"]));

        return findings;
    }

    private static Dictionary<string, string> Images(JsonNode? properties) => DriftText.Images(properties?["template"]?["containers"], container => container["image"]);
}
