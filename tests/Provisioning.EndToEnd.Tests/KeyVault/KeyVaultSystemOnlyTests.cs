using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.Orchestrations;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests.KeyVault;

/// <summary>
/// Key Vault access for a container group whose only identity is its system-assigned one (issue 14 §3): no identity is
/// ensured before the deploy; the run deploys the group, reads its principal, gives it the vault access its mode needs,
/// then the template's grants. A failure after the access-policy add removes exactly that addition. A template that would
/// pull with an identity is refused at load. The real engine against the emulator.
/// </summary>
public sealed class KeyVaultSystemOnlyTests
{
    private const string VaultName = "kv-sys-only";
    private const string PublicImage = "mcr.microsoft.com/azuredocs/aci-helloworld:latest";
    private const string SecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    private const string Template = """
        name: web-kv-system-only
        parameters:
          vaultId: { type: string }
          grantScope: { type: string }
        identity: { type: SystemAssigned }
        grants:
          - role: Reader
            scope: "[parameters('grantScope')]"
        workload:
          name: web
          keyVault:
            id: "[parameters('vaultId')]"
          location: "[resourceGroup().location]"
          properties:
            containers:
              - name: web
                properties:
                  image: mcr.microsoft.com/azuredocs/aci-helloworld:latest
                  ports: [{ port: 80 }]
                  resources: { requests: { cpu: 1, memoryInGB: 1.5 } }
            ipAddress: { type: Public, ports: [{ port: 80 }] }
            osType: Linux
        """;

    [Fact]
    public async Task Access_policy_mode_deploys_then_adds_the_groups_own_principal_then_grants_it_the_templates_roles()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: false);
        sandbox.Emulator.ClearRequestLog();

        // The grant's scope is the vault itself: it exists, so the grant succeeds.
        var done = await sandbox.RunAsync(Input(sandbox, vaultId, grantScope: vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var system = await SystemPrincipalAsync(sandbox);
        Assert.Equal(system, result.PrincipalId);
        Assert.Null(result.IdentityId);
        Assert.Equal(["get", "list"], (await sandbox.ReadVaultAsync(vaultId)).SecretPermissionsOf(system));
        Assert.Equal([system], result.Outputs!["keyVault"]!["principalIds"]!.AsArray().Select(p => p!.GetValue<string>()));
        var reader = Assert.Single(
            await sandbox.ArmClient.RoleAssignments.ListForPrincipalAsync(ArmResourceId.Parse(vaultId), system, CancellationToken.None),
            a => a.RoleDefinitionGuid.ToString() == Reader);
        Assert.Contains(reader.Id, result.Created);
        Assert.Contains(reader.Id, result.RoleAssignmentIds);

        // The order: no identity is created; the group's PUT, then the GET that reads its principal, then the add, then the grant.
        var log = sandbox.Emulator.GetRequestLog().Select((entry, index) => (entry, index)).ToList();
        Assert.DoesNotContain(log, e => e.entry.Path.Contains("/userAssignedIdentities/", StringComparison.OrdinalIgnoreCase));
        var groupPut = log.First(e => e.entry.Method == "PUT" && e.entry.Path.Contains("/containerGroups/web", StringComparison.OrdinalIgnoreCase)).index;
        var add = Assert.Single(log, e => e.entry.Method == "PUT" && e.entry.Path.EndsWith("/accessPolicies/add", StringComparison.OrdinalIgnoreCase)).index;
        var grant = Assert.Single(log, e => e.entry.Method == "PUT" && e.entry.Path.Contains("/roleAssignments/", StringComparison.OrdinalIgnoreCase)).index;
        Assert.True(groupPut < add && add < grant, $"group PUT at {groupPut}, add at {add}, grant at {grant}");
        Assert.Equal(
            $"The container group is running. Its system-assigned identity has secrets get, list in the access policy of '{VaultName}' (added: get, list), given after the deploy: that identity exists only once the resource does. " +
            "Its system-assigned identity was granted Reader after the deploy: that identity exists only once the resource does.",
            (string?)JsonNode.Parse(done.SerializedCustomStatus!)!["message"]);
    }

    [Fact]
    public async Task RBAC_mode_grants_Key_Vault_Secrets_User_to_the_groups_own_principal_in_the_ledger()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: true);

        var done = await sandbox.RunAsync(Input(sandbox, vaultId, grantScope: vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var system = await SystemPrincipalAsync(sandbox);
        Assert.Equal(system, result.PrincipalId);
        var listed = await sandbox.ArmClient.RoleAssignments.ListForPrincipalAsync(ArmResourceId.Parse(vaultId), system, CancellationToken.None);
        foreach (var role in new[] { SecretsUser, Reader })
        {
            var assignment = Assert.Single(listed, a => a.RoleDefinitionGuid.ToString() == role);
            Assert.Contains(assignment.Id, result.Created);
            Assert.Contains(assignment.Id, result.RoleAssignmentIds);
        }

        Assert.Empty((await sandbox.ReadVaultAsync(vaultId)).AccessPolicies);
        Assert.Equal("rbac", result.Outputs!["keyVault"]!["mode"]!.GetValue<string>());
        Assert.Equal([system], result.Outputs!["keyVault"]!["principalIds"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task A_grant_that_fails_after_the_access_policy_add_removes_exactly_that_addition_and_the_group()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: false);
        var other = Guid.NewGuid().ToString();
        await sandbox.ArmClient.KeyVaults.AddAccessPolicyAsync(ArmResourceId.Parse(vaultId), sandbox.Emulator.TenantId, other, ["get", "list"], CancellationToken.None);
        var before = sandbox.Inventory();
        var policiesBefore = (await sandbox.ReadVaultAsync(vaultId)).AccessPolicies;
        sandbox.Emulator.ClearRequestLog();

        // The template's grant is scoped to a storage account that does not exist: ARM refuses it after the vault access was added.
        var missingScope = $"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.Storage/storageAccounts/nowhere";
        var done = await sandbox.RunAsync(Input(sandbox, vaultId, grantScope: missingScope));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var log = sandbox.Emulator.GetRequestLog().Select((entry, index) => (entry, index)).ToList();
        var add = Assert.Single(log, e => e.entry.Method == "PUT" && e.entry.Path.EndsWith("/accessPolicies/add", StringComparison.OrdinalIgnoreCase));
        var remove = Assert.Single(log, e => e.entry.Method == "PUT" && e.entry.Path.EndsWith("/accessPolicies/remove", StringComparison.OrdinalIgnoreCase));
        var refused = log.First(e => e.entry.Path.StartsWith(missingScope, StringComparison.OrdinalIgnoreCase) && e.entry.Status >= 400);
        Assert.True(add.index < refused.index && refused.index < remove.index, $"add at {add.index}, refused grant at {refused.index}, remove at {remove.index}");
        var after = await sandbox.ReadVaultAsync(vaultId);
        Assert.Equal(policiesBefore.Count, after.AccessPolicies.Count);
        Assert.Equal(["get", "list"], after.SecretPermissionsOf(other));
        Assert.Equal(before, sandbox.Inventory());
    }

    [Fact]
    public async Task Without_a_vault_the_groups_own_principal_gets_the_templates_grants_after_the_deploy()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var noVault = Template.Replace("  keyVault:\n    id: \"[parameters('vaultId')]\"\n", string.Empty, StringComparison.Ordinal)
            .Replace("  vaultId: { type: string }\n", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("keyVault", noVault, StringComparison.Ordinal);
        var resolved = TemplateLoader.Parse(noVault, "web-system-only.yaml").Bind(
            new Dictionary<string, JsonNode?> { ["grantScope"] = sandbox.RegistryId },
            new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var system = await SystemPrincipalAsync(sandbox);
        Assert.Equal(system, result.PrincipalId);
        var reader = Assert.Single(
            await sandbox.ArmClient.RoleAssignments.ListForPrincipalAsync(ArmResourceId.Parse(sandbox.RegistryId), system, CancellationToken.None),
            a => a.RoleDefinitionGuid.ToString() == Reader);
        Assert.Contains(reader.Id, result.Created);
        var log = sandbox.Emulator.GetRequestLog().Select((entry, index) => (entry, index)).ToList();
        var groupPut = log.First(e => e.entry.Method == "PUT" && e.entry.Path.Contains("/containerGroups/web", StringComparison.OrdinalIgnoreCase)).index;
        var grant = Assert.Single(log, e => e.entry.Method == "PUT" && e.entry.Path.Contains("/roleAssignments/", StringComparison.OrdinalIgnoreCase)).index;
        Assert.True(groupPut < grant, $"group PUT at {groupPut}, grant at {grant}");
        Assert.Equal(
            "The container group is running. Its system-assigned identity was granted Reader after the deploy: that identity exists only once the resource does.",
            (string?)JsonNode.Parse(done.SerializedCustomStatus!)!["message"]);
    }

    [Fact]
    public async Task The_sample_gives_the_groups_own_principal_get_and_list_in_the_vault()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: false);
        var template = await TemplateLoader.LoadFileAsync(SamplePath("keyvault-web-system.yaml"));
        var resolved = template.Bind(
            new Dictionary<string, JsonNode?> { ["vaultName"] = VaultName },
            new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));

        var done = await sandbox.RunAsync(new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var system = await SystemPrincipalAsync(sandbox, "web-kv-system");
        Assert.Equal(system, result.PrincipalId);
        Assert.Equal(["get", "list"], (await sandbox.ReadVaultAsync(vaultId)).SecretPermissionsOf(system));
        Assert.Empty(result.RoleAssignmentIds);
    }

    [Fact]
    public void A_system_only_template_that_pulls_with_an_identity_is_refused_at_load_with_the_fix()
    {
        var pulling = Template
            .Replace(PublicImage, "sandboxacr.azurecr.io/hello/web:1.0", StringComparison.Ordinal)
            .Replace("    osType: Linux", "    imageRegistryCredentials:\n      - server: sandboxacr.azurecr.io\n        identity: \"[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'web-puller')]\"\n    osType: Linux", StringComparison.Ordinal);

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(pulling, "web-kv-system-only.yaml"));

        var message = Assert.Single(error.Errors).ToString();
        Assert.StartsWith(
            "web-kv-system-only.yaml: workload.properties.imageRegistryCredentials[0].identity: the group's only identity is its system-assigned one, and Azure Container Instances pulls from a registry only with a user-assigned identity.",
            message,
            StringComparison.Ordinal);
        Assert.Contains("write 'identity: { type: \"SystemAssigned, UserAssigned\" }' under 'workload', so the user-assigned one pulls", message, StringComparison.Ordinal);
    }

    private static ProvisioningInput Input(ProvisioningSandbox sandbox, string vaultId, string grantScope)
    {
        var values = new Dictionary<string, JsonNode?> { ["vaultId"] = vaultId, ["grantScope"] = grantScope };
        var resolved = TemplateLoader.Parse(Template, "web-kv-system-only.yaml").Bind(values, new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));
        return new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings);
    }

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

    private static async Task<string> SystemPrincipalAsync(ProvisioningSandbox sandbox, string groupName = "web")
    {
        using var response = await sandbox.Arm.GetAsync($"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/{groupName}?api-version=2025-09-01");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var identity = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["identity"]!;
        Assert.Equal("SystemAssigned", identity["type"]!.GetValue<string>());
        Assert.Null(identity["userAssignedIdentities"]);
        return identity["principalId"]!.GetValue<string>();
    }
}
