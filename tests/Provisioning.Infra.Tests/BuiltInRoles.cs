namespace Provisioning.Infra.Tests;

/// <summary>
/// Built-in role definition GUIDs the infrastructure relies on, as listed in the Azure built-in roles reference
/// (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
/// </summary>
internal static class BuiltInRoles
{
    public const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    public const string ContainerRegistryRepositoryReader = "b93aa761-3e63-49ed-ac28-beffa264f7ac";
    public const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    public const string RoleBasedAccessControlAdministrator = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
    public const string Owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    public const string UserAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";

    public const string ManagedIdentityContributor = "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59";
    public const string ManagedIdentityOperator = "f1a07417-d97a-45cb-824c-7a7467783830";
    public const string ContainerInstancesContributor = "5d977122-f97e-4b4d-a52f-6b43003ddb4d";

    public const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    public const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    public const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";

    public const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    /// <summary>The only roles the app may assign or remove.</summary>
    public static readonly IReadOnlySet<string> Grantable = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        AcrPull,
        ContainerRegistryRepositoryReader,
        KeyVaultSecretsUser,
    };
}
