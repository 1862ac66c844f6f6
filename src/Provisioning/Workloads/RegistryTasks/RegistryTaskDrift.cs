using System.Text.Json.Nodes;
using Provisioning.Arm;
using Provisioning.Drift;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>
/// Drift of an ACR task: listed with the other tasks of its registry (ACR has no subscription-wide list of tasks, so
/// one list per registry holding tasks); missing, failed or disabled. Its identity is not compared: the deploy step, not
/// the resolved body, decides it (system- or user-assigned).
/// </summary>
internal sealed class RegistryTaskDrift : IWorkloadDrift
{
    public ArmListTarget ListTarget(ResolvedWorkload workload) => new($"{workload.ResourceId.Parent}/tasks", ArmApiVersions.RegistryTasks);

    public IReadOnlyList<DriftFinding> Compare(ResolvedWorkload desired, JsonObject? actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var id = desired.ResourceId.ToString();
        if (actual is null)
        {
            return [new DriftFinding(id, DriftKind.TaskMissing, id, null, "the task exists", "not found")];
        }

        var findings = new List<DriftFinding>();
        if (Text(actual["properties"]?["provisioningState"]) is "Failed")
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadFailed, id, "properties.provisioningState", "Succeeded", "Failed"));
        }

        var wantedStatus = Text(desired.Body["properties"]?["status"]) ?? "Enabled";
        var status = Text(actual["properties"]?["status"]) ?? "Enabled";
        if (!status.Equals(wantedStatus, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadChanged, id, "properties.status", wantedStatus, status));
        }

        return findings;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
