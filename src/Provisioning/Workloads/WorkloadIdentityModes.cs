namespace Provisioning.Workloads;

/// <summary>The identities a workload kind can pull with.</summary>
[Flags]
public enum WorkloadIdentityModes
{
    /// <summary>A user-assigned identity the run ensures and grants before it deploys.</summary>
    UserAssigned = 1,

    /// <summary>The resource's own system-assigned identity, granted once the resource exists.</summary>
    SystemAssigned = 2,
}
