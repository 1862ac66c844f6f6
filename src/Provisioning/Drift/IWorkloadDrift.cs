using System.Text.Json.Nodes;
using Provisioning.Workloads;

namespace Provisioning.Drift;

/// <summary>
/// What drift means for one workload kind (see <c>IWorkloadKind.Drift</c>): which collection lists the kind's
/// resources, and how a listed resource differs from the body the run deployed. The scan runs it through
/// <see cref="WorkloadResourceDrift"/>; identities, grants and Key Vault access are the same for every kind and have
/// checks of their own (<see cref="DriftChecks.All"/>).
/// </summary>
internal interface IWorkloadDrift
{
    /// <summary>The collection that lists <paramref name="workload"/> among its peers (the same for every workload of a subscription, or of a registry).</summary>
    ArmListTarget ListTarget(ResolvedWorkload workload);

    /// <summary>The differences between the deployed body and the listed resource; <paramref name="actual"/> is null when the list does not hold it.</summary>
    IReadOnlyList<DriftFinding> Compare(ResolvedWorkload desired, JsonObject? actual);

    /// <summary>
    /// As <see cref="Compare(ResolvedWorkload, JsonObject?)"/>, with the whole run (template and result) for a kind whose
    /// deployed resource depends on more than the resolved body — e.g. an ACR task, whose identity the run's identity
    /// decides. The scan calls this one.
    /// </summary>
    IReadOnlyList<DriftFinding> Compare(DesiredWorkload desired, JsonObject? actual) => Compare(desired.Input.Template.Workload, actual);
}
