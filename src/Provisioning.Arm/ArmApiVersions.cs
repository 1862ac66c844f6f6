namespace Provisioning.Arm;

/// <summary>
/// Every api-version this client sends, in one place: current, stable versions that exist in
/// Azure/azure-rest-api-specs (checked there) and in Azure.Bicep.Types.Az.
/// </summary>
public static class ArmApiVersions
{
    /// <summary>Microsoft.ManagedIdentity/userAssignedIdentities.</summary>
    public const string UserAssignedIdentities = "2024-11-30";

    /// <summary>Microsoft.Authorization/roleAssignments.</summary>
    public const string RoleAssignments = "2022-04-01";

    /// <summary>Microsoft.ContainerInstance/containerGroups (and its operation status resources).</summary>
    public const string ContainerGroups = "2025-09-01";

    /// <summary>Microsoft.ContainerRegistry/registries.</summary>
    public const string Registries = "2025-11-01";
}
