using System.Text.Json.Nodes;
using Provisioning.Arm;
using Provisioning.Drift;
using static Provisioning.Drift.DriftText;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>
/// Drift of an ACR task: listed with the other tasks of its registry (ACR has no subscription-wide list of tasks, so
/// one list per registry holding tasks); missing, failed or disabled, or with another identity than the run gave it.
/// The identity is not in the resolved body: the deploy step sets it from the template's identity (the user-assigned
/// one the run ensured, else the task's system-assigned one), so it is compared from the run's template.
/// </summary>
internal sealed class RegistryTaskDrift : IWorkloadDrift
{
    public ArmListTarget ListTarget(ResolvedWorkload workload) => new($"{workload.ResourceId.Parent}/tasks", ArmApiVersions.RegistryTasks);

    public IReadOnlyList<DriftFinding> Compare(DesiredWorkload desired, JsonObject? actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var findings = Compare(desired.Input.Template.Workload, actual);
        if (actual is null)
        {
            return findings;
        }

        // As EnsureRegistryTask sends it: UserAssigned with the template's identity, else SystemAssigned.
        var wanted = desired.Input.Template.Identity is { } identity ? $"UserAssigned {identity.ResourceId.ToString().ToLowerInvariant()}" : "SystemAssigned";
        var current = DriftText.Identity(actual["identity"]);
        if (!string.Equals(wanted, current, StringComparison.OrdinalIgnoreCase))
        {
            var id = desired.WorkloadId;
            return [.. findings, new DriftFinding(id, DriftKind.WorkloadChanged, id, "identity", wanted, current)];
        }

        return findings;
    }

    public IReadOnlyList<DriftFinding> Compare(ResolvedWorkload desired, JsonObject? actual)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var id = desired.ResourceId.ToString();
        if (actual is null)
        {
            return [new DriftFinding(id, DriftKind.TaskMissing, id, null, "the task exists", "not found")];
        }

        var findings = new List<DriftFinding>();
        DriftText.CompareProvisioningState(findings, id, actual["properties"]);

        var wantedStatus = Text(desired.Body["properties"]?["status"]) ?? "Enabled";
        var status = Text(actual["properties"]?["status"]) ?? "Enabled";
        if (!status.Equals(wantedStatus, StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new DriftFinding(id, DriftKind.WorkloadChanged, id, "properties.status", wantedStatus, status));
        }

        return findings;
    }
}
