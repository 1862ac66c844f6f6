using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerRegistry;

/// <summary>What the prerequisite checks read of a registry.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Location">Its region.</param>
/// <param name="SkuName">Basic, Standard or Premium.</param>
/// <param name="LoginServer">E.g. <c>myregistry.azurecr.io</c>.</param>
/// <param name="PublicNetworkAccess">Enabled or Disabled.</param>
/// <param name="NetworkRuleBypassOptions">AzureServices (Trusted Services allowed) or None.</param>
/// <param name="NetworkRuleSetDefaultAction">Allow or Deny (Premium network rules), if set.</param>
/// <param name="RoleAssignmentMode">E.g. <c>AbacRepositoryPermissions</c> (AcrPull/AcrPush not honoured) or <c>LegacyRegistryPermissions</c>, if reported.</param>
/// <param name="AzureAdAuthenticationAsArmPolicyStatus">enabled or disabled (ARM-audience tokens), if reported.</param>
public sealed record ContainerRegistry(
    ArmResourceId Id,
    string Location,
    string? SkuName,
    string? LoginServer,
    string? PublicNetworkAccess,
    string? NetworkRuleBypassOptions,
    string? NetworkRuleSetDefaultAction,
    string? RoleAssignmentMode,
    string? AzureAdAuthenticationAsArmPolicyStatus)
{
    /// <summary>Whether the registry is in ABAC repository-permissions mode (needs Container Registry Repository roles).</summary>
    public bool UsesAbacRepositoryPermissions =>
        string.Equals(RoleAssignmentMode, "AbacRepositoryPermissions", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether network access is restricted (public access disabled or default action Deny).</summary>
    public bool IsNetworkRestricted =>
        string.Equals(PublicNetworkAccess, "Disabled", StringComparison.OrdinalIgnoreCase)
        || string.Equals(NetworkRuleSetDefaultAction, "Deny", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether trusted Azure services may bypass the network rules.</summary>
    public bool AllowsTrustedServices =>
        string.Equals(NetworkRuleBypassOptions, "AzureServices", StringComparison.OrdinalIgnoreCase);
}
