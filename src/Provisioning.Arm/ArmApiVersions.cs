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

    /// <summary>
    /// Microsoft.ContainerRegistry/registries/tasks, registries/runs and <c>scheduleRun</c> (the Tasks API,
    /// <c>containerregistry_build.json</c>). The newest Tasks version: the stable 2019-04-01 still names a task in
    /// <c>TaskRunRequest</c> by <c>taskName</c>; <c>taskId</c> (the full resource id) arrived in 2019-06-01-preview.
    /// </summary>
    public const string RegistryTasks = "2025-03-01-preview";

    /// <summary>Microsoft.Compute/virtualMachines (read only: a grant-only run reads a VM's identities).</summary>
    public const string VirtualMachines = "2024-11-01";

    /// <summary>Microsoft.KeyVault/vaults and <c>vaults/accessPolicies/{add|remove}</c>.</summary>
    public const string KeyVaults = "2024-11-01";

    /// <summary>Microsoft.App/containerApps and their revisions (checked in azure-rest-api-specs' app/stable/2025-01-01 and Azure.Bicep.Types.Az).</summary>
    public const string ContainerApps = "2025-01-01";

    /// <summary>Microsoft.App/managedEnvironments.</summary>
    public const string ManagedEnvironments = "2025-01-01";

    /// <summary>The api-version this client uses for a resource type, for calls made to any resource (reads, deletes, polls).</summary>
    /// <param name="resourceType">The full type, e.g. <c>Microsoft.ContainerInstance/containerGroups</c>.</param>
    /// <exception cref="ArgumentException">The client has no api-version for that type.</exception>
    public static string For(string resourceType)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceType);
        return resourceType.ToUpperInvariant() switch
        {
            "MICROSOFT.MANAGEDIDENTITY/USERASSIGNEDIDENTITIES" => UserAssignedIdentities,
            "MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS" => RoleAssignments,
            "MICROSOFT.CONTAINERINSTANCE/CONTAINERGROUPS" => ContainerGroups,
            "MICROSOFT.CONTAINERREGISTRY/REGISTRIES" => Registries,
            "MICROSOFT.CONTAINERREGISTRY/REGISTRIES/TASKS" => RegistryTasks,
            "MICROSOFT.APP/CONTAINERAPPS" => ContainerApps,
            "MICROSOFT.APP/MANAGEDENVIRONMENTS" => ManagedEnvironments,
            "MICROSOFT.COMPUTE/VIRTUALMACHINES" => VirtualMachines,
            "MICROSOFT.KEYVAULT/VAULTS" => KeyVaults,
            _ => throw new ArgumentException($"This client has no api-version for the resource type '{resourceType}'.", nameof(resourceType)),
        };
    }
}
