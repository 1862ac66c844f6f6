namespace Provisioning.Drift;

/// <summary>How a deployed workload differs from what its latest successful run left.</summary>
public enum DriftKind
{
    /// <summary>The user-assigned identity the run ensured is gone.</summary>
    IdentityDeleted,

    /// <summary>A role assignment the run made (principal, role, scope) is gone.</summary>
    GrantRemoved,

    /// <summary>The workload resource is gone.</summary>
    WorkloadDeleted,

    /// <summary>A property the run set differs (an image, the identities, a registry credential).</summary>
    WorkloadChanged,

    /// <summary>A container group that should run is stopped.</summary>
    WorkloadStopped,

    /// <summary>The workload's provisioning state is Failed.</summary>
    WorkloadFailed,

    /// <summary>The ACR task the run created is gone.</summary>
    TaskMissing,

    /// <summary>
    /// In a vault in access-policy mode, the secret permissions the run added for the workload's principal are no longer
    /// all there (or the vault went to RBAC mode, where access policies are ignored, or is gone).
    /// </summary>
    AccessPolicyRemoved,
}
