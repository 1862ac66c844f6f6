using Provisioning.Workloads;

namespace Provisioning.Drift;

/// <summary>The workload's own resource, compared by its kind's <see cref="IWorkloadDrift"/> (kinds without one are skipped).</summary>
internal sealed class WorkloadResourceDrift : IDriftCheck
{
    public IEnumerable<ArmListTarget> ListTargets(DesiredWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (DriftOf(workload) is { } drift)
        {
            yield return drift.ListTarget(workload.Input.Template.Workload);
        }
    }

    public IReadOnlyList<DriftFinding> Compare(DesiredWorkload workload, ListedResources listed)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(listed);
        if (DriftOf(workload) is not { } drift)
        {
            return [];
        }

        listed.ById.TryGetValue(workload.WorkloadId, out var actual);
        return drift.Compare(workload, actual);
    }

    private static IWorkloadDrift? DriftOf(DesiredWorkload workload) =>
        WorkloadKinds.TryGet(workload.Input.Template.Workload.Kind, out var kind) ? kind.Drift : null;
}
