using System.Diagnostics.CodeAnalysis;

namespace Provisioning.Arm.Authorization;

/// <summary>
/// The built-in Azure roles this project grants, by the display name users know. The GUIDs are the same in
/// every tenant and cloud.
/// </summary>
public static class BuiltInRoles
{
    /// <summary>AcrPull: pull images from a registry (registries in RBAC mode).</summary>
    public static readonly Guid AcrPull = new("7f951dda-4ed3-4680-a7ca-43fe172d538d");

    /// <summary>AcrPush: push and pull images (registries in RBAC mode).</summary>
    public static readonly Guid AcrPush = new("8311e382-0749-4cb8-b61a-304f252e45ec");

    /// <summary>Reader.</summary>
    public static readonly Guid Reader = new("acdd72a7-3385-48ef-bd42-f606fba81ae7");

    /// <summary>Contributor.</summary>
    public static readonly Guid Contributor = new("b24988ac-6180-42a0-ab88-20f7382dd24c");

    /// <summary>Key Vault Secrets User: read secret contents.</summary>
    public static readonly Guid KeyVaultSecretsUser = new("4633458b-17de-408a-b874-0445c86b69e6");

    /// <summary>Container Registry Repository Reader: pull from registries in ABAC repository-permissions mode.</summary>
    public static readonly Guid ContainerRegistryRepositoryReader = new("b93aa761-3e63-49ed-ac28-beffa264f7ac");

    private static readonly Dictionary<string, Guid> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AcrPull"] = AcrPull,
        ["AcrPush"] = AcrPush,
        ["Reader"] = Reader,
        ["Contributor"] = Contributor,
        ["Key Vault Secrets User"] = KeyVaultSecretsUser,
        ["Container Registry Repository Reader"] = ContainerRegistryRepositoryReader,
    };

    /// <summary>The display names known here, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = ByName.Keys.ToArray();

    /// <summary>Looks up a role by display name (case-insensitive).</summary>
    /// <param name="name">The display name, e.g. <c>AcrPull</c>.</param>
    /// <param name="roleId">The role definition GUID.</param>
    public static bool TryGetId(string name, [NotNullWhen(true)] out Guid? roleId)
    {
        if (ByName.TryGetValue(name, out var id))
        {
            roleId = id;
            return true;
        }
        roleId = null;
        return false;
    }

    /// <summary>The display name of a built-in role GUID, or null when it is not one known here.</summary>
    /// <param name="roleId">The role definition GUID.</param>
    public static string? NameOf(Guid roleId) =>
        ByName.FirstOrDefault(pair => pair.Value == roleId).Key;

    /// <summary>The full role definition id ARM expects in a role assignment body.</summary>
    /// <param name="subscriptionId">The subscription of the assignment's scope.</param>
    /// <param name="roleId">The role definition GUID.</param>
    public static string DefinitionId(string subscriptionId, Guid roleId) =>
        $"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{roleId:D}";
}
