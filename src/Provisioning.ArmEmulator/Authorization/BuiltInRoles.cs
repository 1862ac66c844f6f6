namespace Provisioning.ArmEmulator.Authorization;

/// <summary>The built-in roles the emulator knows (ids are Azure's, the same in every tenant).</summary>
public static class BuiltInRoles
{
    /// <summary>Owner.</summary>
    public static readonly BuiltInRole Owner = new("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.", ["*"], [], true, false);

    /// <summary>Contributor.</summary>
    public static readonly BuiltInRole Contributor = new("b24988ac-6180-42a0-ab88-20f7382dd24c", "Contributor", "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.", ["*"], [], true, false);

    /// <summary>Reader.</summary>
    public static readonly BuiltInRole Reader = new("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", "View all resources, but does not allow you to make any changes.", ["*/read"], [], true, false);

    /// <summary>AcrPull.</summary>
    public static readonly BuiltInRole AcrPull = new("7f951dda-4ed3-4680-a7ca-43fe172d538d", "AcrPull", "acr pull", ["Microsoft.ContainerRegistry/registries/pull/read"], [], true, false);

    /// <summary>AcrPush.</summary>
    public static readonly BuiltInRole AcrPush = new("8311e382-0749-4cb8-b61a-304f252e45ec", "AcrPush", "acr push", ["Microsoft.ContainerRegistry/registries/pull/read", "Microsoft.ContainerRegistry/registries/push/write"], [], true, false);

    /// <summary>Container Registry Repository Reader (ABAC-mode registries).</summary>
    public static readonly BuiltInRole RepositoryReader = new("b93aa761-3e63-49ed-ac28-beffa264f7ac", "Container Registry Repository Reader", "Allows read access to Azure Container Registry repositories.", [], ["Microsoft.ContainerRegistry/registries/repositories/content/read", "Microsoft.ContainerRegistry/registries/repositories/metadata/read"], true, true);

    /// <summary>Key Vault Secrets User.</summary>
    public static readonly BuiltInRole KeyVaultSecretsUser = new("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User", "Read secret contents.", [], ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"], false, false);

    /// <summary>Every built-in role the emulator serves.</summary>
    public static IReadOnlyList<BuiltInRole> All { get; } = [Owner, Contributor, Reader, AcrPull, AcrPush, RepositoryReader, KeyVaultSecretsUser];

    /// <summary>The role with this GUID, or null.</summary>
    public static BuiltInRole? Find(string id) => All.FirstOrDefault(r => r.Id.Equals(id, StringComparison.OrdinalIgnoreCase));
}
