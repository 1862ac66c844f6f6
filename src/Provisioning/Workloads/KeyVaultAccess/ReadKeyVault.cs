using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>Reads the vault a workload needs secrets from: whether it exists, its tenant, its mode (RBAC or access policies) and soft delete.</summary>
public sealed class ReadKeyVault(ProvisioningArmClient arm) : ArmActivity<ArmResourceId, KeyVaultState>(arm)
{
    /// <inheritdoc />
    protected override async Task<KeyVaultState> ExecuteAsync(ArmResourceId input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var vault = await Arm.KeyVaults.GetAsync(input, cancellationToken);
        return vault is null
            ? new KeyVaultState(false, null, false, null)
            : new KeyVaultState(true, vault.TenantId, vault.EnableRbacAuthorization, vault.EnableSoftDelete);
    }
}

/// <summary>What decides how access to a vault is granted.</summary>
/// <param name="Exists">Whether the vault exists (and this app can read it).</param>
/// <param name="TenantId">Its tenant, which its access policies name.</param>
/// <param name="RbacMode">True when <c>enableRbacAuthorization</c> is on: roles grant data access and access policies are ignored.</param>
/// <param name="SoftDelete">Whether soft delete is on, when ARM said.</param>
public sealed record KeyVaultState(bool Exists, string? TenantId, bool RbacMode, bool? SoftDelete);
