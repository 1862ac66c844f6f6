namespace Provisioning.Drift;

/// <summary>
/// One thing the drift scan compares for every workload it applies to: which ARM collections it needs listed, and
/// what differs between the run's desired state and what those lists hold. The scan lists each collection once, whatever
/// the number of workloads and checks that ask for it. Checks are registered in <see cref="DriftChecks.All"/>.
/// </summary>
internal interface IDriftCheck
{
    /// <summary>The collections <paramref name="workload"/> is compared against; none when the check does not apply to it.</summary>
    IEnumerable<ArmListTarget> ListTargets(DesiredWorkload workload);

    /// <summary>The differences between <paramref name="workload"/>'s desired state and what was listed.</summary>
    IReadOnlyList<DriftFinding> Compare(DesiredWorkload workload, ListedResources listed);
}
