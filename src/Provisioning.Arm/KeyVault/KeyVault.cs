using Provisioning.Arm.Resources;

namespace Provisioning.Arm.KeyVault;

/// <summary>A key vault as ARM returns it: what decides how a principal is given access to its secrets.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Location">Its region.</param>
/// <param name="TenantId">The tenant its access policies are in.</param>
/// <param name="EnableRbacAuthorization">True in RBAC mode (roles grant data access; access policies are ignored), false in access-policy mode.</param>
/// <param name="EnableSoftDelete">Whether soft delete is on (null when ARM did not say).</param>
/// <param name="AccessPolicies">The access-policy entries.</param>
public sealed record KeyVault(ArmResourceId Id, string Location, string TenantId, bool EnableRbacAuthorization, bool? EnableSoftDelete, IReadOnlyList<KeyVaultAccessPolicy> AccessPolicies)
{
    /// <summary>The secret permissions the vault's access policy gives <paramref name="objectId"/> (empty when it has no entry).</summary>
    /// <param name="objectId">The principal's object id.</param>
    public IReadOnlyList<string> SecretPermissionsOf(string objectId) =>
        AccessPolicies.Where(policy => string.Equals(policy.ObjectId, objectId, StringComparison.OrdinalIgnoreCase) && policy.ApplicationId is null)
            .SelectMany(policy => policy.SecretPermissions)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
}

/// <summary>One access-policy entry of a vault.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="ObjectId">The principal's object id.</param>
/// <param name="ApplicationId">The application of a compound identity, or null.</param>
/// <param name="SecretPermissions">Its secret permissions (e.g. <c>get</c>, <c>list</c>).</param>
public sealed record KeyVaultAccessPolicy(string TenantId, string ObjectId, string? ApplicationId, IReadOnlyList<string> SecretPermissions);
