using Provisioning.Activities;
using Provisioning.Arm;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>
/// Compensation of <see cref="AddKeyVaultAccessPolicy"/>: <c>accessPolicies/remove</c> of exactly the permissions the run
/// added (Key Vault drops the entry when none are left). A vault already gone counts as done.
/// </summary>
public sealed class RemoveKeyVaultAccessPolicy(ProvisioningArmClient arm) : ArmActivity<AccessPolicyChange, bool>(arm)
{
    /// <inheritdoc />
    protected override async Task<bool> ExecuteAsync(AccessPolicyChange input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.SecretPermissions.Count == 0 || await Arm.KeyVaults.GetAsync(input.VaultId, cancellationToken) is null)
        {
            return false;
        }

        await Arm.KeyVaults.RemoveAccessPolicyAsync(input.VaultId, input.TenantId, input.ObjectId, input.SecretPermissions, cancellationToken);
        return true;
    }
}
