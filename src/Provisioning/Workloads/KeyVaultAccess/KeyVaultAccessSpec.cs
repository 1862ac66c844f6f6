using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>The vault a workload's identity reads secrets from, and the secret permissions it needs (a template's <c>workload.keyVault</c>).</summary>
/// <param name="VaultId">The vault's resource id.</param>
/// <param name="SecretPermissions">The secret permissions, lower-case (e.g. <c>get</c>, <c>list</c>).</param>
public sealed record KeyVaultAccessSpec(ArmResourceId VaultId, IReadOnlyList<string> SecretPermissions);
