using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.Drift;
using Provisioning.Rules;

namespace Provisioning.Host.Dashboard;

/// <summary>
/// The last drift run's report (<see cref="DriftRepairNames.InstanceId"/>: its output once it ended, the report so far
/// while it repairs, as <c>GET /api/drift/last</c> answers), split by lane for the workloads page.
/// </summary>
internal static class DashboardDrift
{
    /// <summary>The last drift run and its findings and repairs by lane; null when no drift run exists.</summary>
    /// <param name="client">Reads the drift run.</param>
    /// <param name="lanes">The lanes the page shows: findings of other workloads are returned as unmatched.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<(DriftScan Scan, IReadOnlyDictionary<string, LaneDrift> ByLane)?> ReadAsync(
        DurableTaskClient client, IReadOnlySet<string> lanes, CancellationToken cancellationToken)
    {
        var run = await client.GetInstanceAsync(DriftRepairNames.InstanceId, getInputsAndOutputs: true, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var report = run.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? run.ReadOutputAs<DriftReport>() : run.ReadCustomStatusAs<DriftReport>();
        var findings = report?.Findings ?? [];
        var repairs = report?.Repairs ?? [];
        var busy = report?.Busy ?? [];
        var byLane = new Dictionary<string, LaneDrift>(StringComparer.Ordinal);
        var unmatched = new List<DriftFinding>();
        foreach (var workload in findings.Select(finding => finding.WorkloadId).Concat(repairs.Select(repair => repair.WorkloadId)).Concat(busy).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var mine = findings.Where(finding => string.Equals(finding.WorkloadId, workload, StringComparison.OrdinalIgnoreCase)).ToList();
            if (LaneOf(workload) is { } lane && lanes.Contains(lane))
            {
                byLane[lane] = new LaneDrift(
                    mine,
                    repairs.FirstOrDefault(repair => string.Equals(repair.WorkloadId, workload, StringComparison.OrdinalIgnoreCase)),
                    busy.Contains(workload, StringComparer.OrdinalIgnoreCase));
            }
            else
            {
                unmatched.AddRange(mine);
            }
        }

        var scan = new DriftScan(
            run.InstanceId,
            run.RuntimeStatus.ToString(),
            run.FailureDetails?.ErrorMessage,
            run.CreatedAt,
            run.LastUpdatedAt,
            report?.ScannedAt,
            report?.DryRun ?? false,
            report?.Workloads ?? 0,
            findings.Count,
            unmatched);
        return (scan, byLane);
    }

    // A workload's lane is the prefix its runs' ids share; the drift run starts repairs under the same one.
    private static string? LaneOf(string workloadId)
        => ArmResourceId.TryParse(workloadId, out var id, out _) && id.ResourceGroupName is { } group
            ? RunIds.WorkloadPrefix(id.SubscriptionId, group, id.Name)
            : null;
}
