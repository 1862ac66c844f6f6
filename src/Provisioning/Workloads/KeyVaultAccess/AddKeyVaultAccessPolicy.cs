using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>
/// Adds the principal's secret permissions with <c>accessPolicies/add</c> (merged into its entry, others untouched) and
/// returns exactly the permissions that were not there before: those, and only those, are what compensation removes,
/// so an entry that existed before the run is never taken away.
/// </summary>
public sealed class AddKeyVaultAccessPolicy(ProvisioningArmClient arm) : ArmActivity<AccessPolicyChange, AccessPolicyChange>(arm)
{
    /// <inheritdoc />
    protected override async Task<AccessPolicyChange> ExecuteAsync(AccessPolicyChange input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vault = await Arm.KeyVaults.GetAsync(input.VaultId, cancellationToken)
            ?? throw new InvalidOperationException($"The vault '{input.VaultId}' no longer exists.");
        var had = vault.SecretPermissionsOf(input.ObjectId);
        var missing = input.SecretPermissions.Where(p => !had.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missing.Count > 0)
        {
            await Arm.KeyVaults.AddAccessPolicyAsync(input.VaultId, input.TenantId, input.ObjectId, missing, cancellationToken);
        }

        return input with { SecretPermissions = missing };
    }
}

/// <summary>Secret permissions for one principal in a vault's access policies.</summary>
/// <param name="VaultId">The vault.</param>
/// <param name="TenantId">The vault's tenant.</param>
/// <param name="ObjectId">The principal's object id.</param>
/// <param name="SecretPermissions">The permissions: to add (request), or that were added (result).</param>
public sealed record AccessPolicyChange(ArmResourceId VaultId, string TenantId, string ObjectId, IReadOnlyList<string> SecretPermissions);
