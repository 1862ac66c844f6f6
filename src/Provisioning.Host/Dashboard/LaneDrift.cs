using Provisioning.Drift;

namespace Provisioning.Host.Dashboard;

/// <summary>What the last drift run found for one lane's workload, and what became of it.</summary>
/// <param name="Findings">Each difference between what the lane's latest successful run left and what ARM lists now.</param>
/// <param name="Repair">The repair: its status and, once started, its run (a run in this lane); null when the report has none for the workload (it was busy).</param>
/// <param name="Busy">Whether the drift run skipped the workload because a run of its lane was going.</param>
public sealed record LaneDrift(IReadOnlyList<DriftFinding> Findings, DriftRepair? Repair, bool Busy);
