namespace Provisioning.Drift;

/// <summary>What one drift scan found and what became of each drifted workload.</summary>
/// <param name="ScannedAt">When the scan ran.</param>
/// <param name="DryRun">True when nothing was to be repaired.</param>
/// <param name="Workloads">How many workloads were compared.</param>
/// <param name="ArmCalls">How many collections were listed (one per resource type and subscription, or per registry for tasks).</param>
/// <param name="ArmPages">How many ARM requests the lists took, pages included.</param>
/// <param name="ScanSeconds">How long the scan took: desired state, lists and comparison.</param>
/// <param name="Findings">Each difference.</param>
/// <param name="Repairs">One entry per drifted workload.</param>
/// <param name="Busy">Workloads skipped because a run of theirs was going.</param>
public sealed record DriftReport(
    DateTimeOffset ScannedAt,
    bool DryRun,
    int Workloads,
    int ArmCalls,
    int ArmPages,
    double ScanSeconds,
    IReadOnlyList<DriftFinding> Findings,
    IReadOnlyList<DriftRepair> Repairs,
    IReadOnlyList<string> Busy)
{
    /// <summary>Of <see cref="ScanSeconds"/>, the time spent reading the desired state from the runs.</summary>
    public double DesiredSeconds { get; init; }

    /// <summary>Of <see cref="ScanSeconds"/>, the time spent listing ARM collections.</summary>
    public double ListSeconds { get; init; }
}
