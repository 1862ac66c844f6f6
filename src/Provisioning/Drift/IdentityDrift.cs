using Provisioning.Arm;
using Provisioning.Arm.Identities;

namespace Provisioning.Drift;

/// <summary>The user-assigned identity a run ensured, listed per subscription: found deleted, it is <see cref="DriftKind.IdentityDeleted"/>.</summary>
internal sealed class IdentityDrift : IDriftCheck
{
    public IEnumerable<ArmListTarget> ListTargets(DesiredWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Input.Template.Identity is { } identity)
        {
            yield return new ArmListTarget($"/subscriptions/{identity.ResourceId.SubscriptionId}/providers/{UserAssignedIdentityClient.ResourceType}", ArmApiVersions.UserAssignedIdentities);
        }
    }

    public IReadOnlyList<DriftFinding> Compare(DesiredWorkload workload, ListedResources listed)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(listed);
        return workload.Input.Template.Identity is { } identity && !listed.ById.ContainsKey(identity.ResourceId.ToString())
            ? [new DriftFinding(workload.WorkloadId, DriftKind.IdentityDeleted, identity.ResourceId.ToString(), null, "the identity exists", "not found")]
            : [];
    }
}
