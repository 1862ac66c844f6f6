using System.Text.Json.Nodes;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Workloads.KeyVaultAccess;

public sealed class KeyVaultAccessTemplateTests
{
    private const string Subscription = "00000000-0000-0000-0000-00000000aaaa";
    private static readonly TemplateTarget Target = new(Subscription, "rg-web", "westeurope");

    [Fact]
    public async Task The_sample_binds_the_vault_and_permissions_apart_from_the_body_ARM_receives()
    {
        var template = await TemplateLoader.LoadFileAsync(SamplePath("keyvault-web.yaml"));

        var resolved = template.Bind(new Dictionary<string, JsonNode?> { ["image"] = "sandboxacr.azurecr.io/hello/web:1.0", ["registryName"] = "sandboxacr", ["vaultName"] = "kv-web" }, Target);

        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/rg-web/providers/Microsoft.KeyVault/vaults/kv-web", resolved.Workload.KeyVault!.VaultId.ToString());
        Assert.Equal(["get", "list"], resolved.Workload.KeyVault.SecretPermissions);
        Assert.Null(resolved.Workload.Body["keyVault"]);
        Assert.Equal("Microsoft.ContainerInstance/containerGroups", resolved.Workload.Kind);
    }

    [Fact]
    public void The_web_sample_without_keyVault_has_none()
    {
        var resolved = TemplateLoader.Parse(Web(keyVault: string.Empty), "web.yaml").Bind(new Dictionary<string, JsonNode?>(), Target);

        Assert.Null(resolved.Workload.KeyVault);
    }

    [Fact]
    public void Secret_permissions_default_to_get_and_list()
    {
        var resolved = TemplateLoader.Parse(Web("  keyVault: { id: /subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1 }"), "web.yaml")
            .Bind(new Dictionary<string, JsonNode?>(), Target);

        Assert.Equal(["get", "list"], resolved.Workload.KeyVault!.SecretPermissions);
    }

    [Fact]
    public void A_permission_that_is_not_a_secret_permission_and_an_id_that_is_not_a_vault_are_refused_with_the_fix()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(
            Web("  keyVault: { id: /subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1, secrets: [get, read], mode: x }"),
            "web.yaml"));

        var messages = error.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(
            "web.yaml: workload.keyVault.secrets[1]: 'read' is not a Key Vault secret permission. Fix: use all, get, list, set, delete, backup, restore, recover, purge; a workload that reads secrets needs get (and list to enumerate them).",
            messages);
        Assert.Contains(messages, m => m.StartsWith("web.yaml: workload.keyVault.id: '/subscriptions/", StringComparison.Ordinal) && m.Contains("is a Microsoft.Storage/storageAccounts, not a key vault", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("web.yaml: workload.keyVault.mode: is not a field this template shape supports", StringComparison.Ordinal));
        Assert.Equal(3, messages.Count);
    }

    private static string Web(string keyVault) => $"""
        identity: {"{"} name: web-puller {"}"}
        grants:
          - role: AcrPull
            scope: /subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myregistry
        workload:
          name: web
        {keyVault}
          location: westeurope
          properties:
            containers:
              - name: web
                properties:
                  image: myregistry.azurecr.io/web:1.0
                  resources: {"{"} requests: {"{"} cpu: 1, memoryInGB: 1 {"}"} {"}"}
            imageRegistryCredentials:
              - server: myregistry.azurecr.io
                identity: /subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-web/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller
            osType: Linux
        """;

    private static string SamplePath(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "templates", file);
            if (File.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "rules.yaml")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"The repository's templates/{file} was not found above {AppContext.BaseDirectory}.");
    }
}
