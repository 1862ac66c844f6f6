using Provisioning.Drift;

namespace Provisioning.Host.Dashboard;

/// <summary>The last drift run, as the workloads page shows it above the lanes.</summary>
/// <param name="InstanceId">The drift run's id (always <see cref="DriftRepairNames.InstanceId"/>).</param>
/// <param name="RuntimeStatus">Its runtime status: while Running it is still repairing, and the report is the one so far.</param>
/// <param name="Failure">Why it failed; null otherwise.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="LastUpdatedAt">When it last changed.</param>
/// <param name="ScannedAt">When its scan ran; null before the scan reported.</param>
/// <param name="DryRun">Whether it only reported.</param>
/// <param name="Workloads">How many workloads it compared.</param>
/// <param name="Findings">How many differences it found, in all lanes.</param>
/// <param name="Unmatched">Findings of workloads that have no lane in this host's store (their runs were purged).</param>
public sealed record DriftScan(
    string InstanceId,
    string RuntimeStatus,
    string? Failure,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? ScannedAt,
    bool DryRun,
    int Workloads,
    int Findings,
    IReadOnlyList<DriftFinding> Unmatched);
