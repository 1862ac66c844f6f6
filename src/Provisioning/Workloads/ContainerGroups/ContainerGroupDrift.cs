using System.Text.Json.Nodes;
using Provisioning.Arm;
using Provisioning.Drift;
using static Provisioning.Drift.DriftText;

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
        DriftText.CompareProvisioningState(findings, id, properties);

        var restart = Text(wanted?["restartPolicy"]) ?? "Always";
        var instanceState = Text(properties?["instanceView"]?["state"]);
        if (restart.Equals("Always", StringComparison.OrdinalIgnoreCase) && string.Equals(instanceState, "Stopped", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadStopped, id, "properties.instanceView.state", "Running", instanceState!));
        }

        DriftText.CompareImages(
            findings, id, Images(wanted), Images(properties), name => $"properties.containers[{name}].properties.image");
        DriftText.CompareText(findings, id, "identity", DriftText.Identity(desired.Body["identity"]), DriftText.Identity(actual["identity"]));
        DriftText.CompareText(
            findings, id, "properties.imageRegistryCredentials", DriftText.Registries(wanted?["imageRegistryCredentials"]), DriftText.Registries(properties?["imageRegistryCredentials"]));

        return findings;
    }

    private static Dictionary<string, string> Images(JsonNode? properties) => DriftText.Images(properties?["containers"], container => container["properties"]?["image"]);
}
