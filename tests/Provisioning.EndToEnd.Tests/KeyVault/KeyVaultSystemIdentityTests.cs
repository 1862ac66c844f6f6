using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests.KeyVault;

/// <summary>
/// Key Vault access for a container group with <c>SystemAssigned, UserAssigned</c> (issue 14 §3): the user-assigned
/// principal is given access before the deploy, the system-assigned one — which exists only once the group does —
/// after it; compensation after a failure past that point removes exactly what was added. The real engine against the emulator.
/// </summary>
public sealed class KeyVaultSystemIdentityTests
{
    private const string VaultName = "kv-sys";

    private static readonly string Template = ProvisioningSandbox.TemplateYaml
        .Replace("  identityName: { type: string, defaultValue: web-puller }", "  identityName: { type: string, defaultValue: web-puller }\n  vaultId: { type: string }", StringComparison.Ordinal)
        .Replace("  name: web\n  location:", "  name: web\n  identity: { type: \"SystemAssigned, UserAssigned\" }\n  keyVault:\n    id: \"[parameters('vaultId')]\"\n  location:", StringComparison.Ordinal);

    [Fact]
    public async Task Access_policy_mode_gives_the_user_principal_access_before_the_deploy_and_the_system_principal_after_it()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: false);
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(Input(sandbox, vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var user = result.PrincipalId!;
        var system = await SystemPrincipalAsync(sandbox);
        Assert.NotEqual(user, system);
        var vault = await sandbox.ReadVaultAsync(vaultId);
        Assert.Equal(["get", "list"], vault.SecretPermissionsOf(user));
        Assert.Equal(["get", "list"], vault.SecretPermissionsOf(system));
        var keyVault = result.Outputs!["keyVault"]!;
        Assert.Equal([user, system], keyVault["principalIds"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("accessPolicy", keyVault["mode"]!.GetValue<string>());

        // The order: one add before the group's PUT (the user-assigned principal), one after it (the system-assigned one).
        var log = sandbox.Emulator.GetRequestLog().Select((entry, index) => (entry, index)).ToList();
        var adds = log.Where(e => e.entry.Method == "PUT" && e.entry.Path.EndsWith("/accessPolicies/add", StringComparison.OrdinalIgnoreCase)).Select(e => e.index).ToList();
        var groupPut = log.First(e => e.entry.Method == "PUT" && e.entry.Path.Contains("/containerGroups/web", StringComparison.OrdinalIgnoreCase)).index;
        Assert.Equal(2, adds.Count);
        Assert.True(adds[0] < groupPut && groupPut < adds[1], $"adds at {adds[0]} and {adds[1]}, group PUT at {groupPut}");
        Assert.Equal(
            $"The container group is running. Its user-assigned identity has secrets get, list in the access policy of '{VaultName}' (added: get, list). " +
            $"Its system-assigned identity has secrets get, list in the access policy of '{VaultName}' (added: get, list), given after the deploy: that identity exists only once the resource does.",
            (string?)JsonNode.Parse(done.SerializedCustomStatus!)!["message"]);
    }

    [Fact]
    public async Task RBAC_mode_grants_Key_Vault_Secrets_User_to_both_principals_and_the_ledger_holds_both()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: true);

        var done = await sandbox.RunAsync(Input(sandbox, vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var system = await SystemPrincipalAsync(sandbox);
        foreach (var principal in new[] { result.PrincipalId!, system })
        {
            var listed = await sandbox.ArmClient.RoleAssignments.ListForPrincipalAsync(ArmResourceId.Parse(vaultId), principal, CancellationToken.None);
            var assignment = Assert.Single(listed, a => a.RoleDefinitionGuid.ToString() == "4633458b-17de-408a-b874-0445c86b69e6");
            Assert.Contains(assignment.Id, result.Created);
            Assert.Contains(assignment.Id, result.RoleAssignmentIds);
        }

        Assert.Empty((await sandbox.ReadVaultAsync(vaultId)).AccessPolicies);
        Assert.Equal([result.PrincipalId!, system], result.Outputs!["keyVault"]!["principalIds"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task A_failure_after_the_deploy_removes_the_user_principals_addition_keeps_what_existed_and_deletes_the_group()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: false);

        // One entry short of Key Vault's limit of 1024 before the run: the user-assigned principal's add (before the
        // deploy) takes the last one, so the system-assigned principal's add (after it) is refused.
        var other = Guid.NewGuid().ToString();
        var fillers = Enumerable.Range(0, 1023).Select(i => i == 0 ? other : Guid.NewGuid().ToString())
            .Select(objectId => $$$"""{"tenantId":"{{{sandbox.Emulator.TenantId}}}","objectId":"{{{objectId}}}","permissions":{"secrets":["get"]}}""");
        using (var fill = await sandbox.PutAsync(vaultId + "/accessPolicies/add", "2024-11-01", $$$"""{"properties":{"accessPolicies":[{{{string.Join(",", fillers)}}}]}}"""))
        {
            Assert.True(fill.IsSuccessStatusCode, await fill.Content.ReadAsStringAsync());
        }

        var before = sandbox.Inventory();
        var policiesBefore = (await sandbox.ReadVaultAsync(vaultId)).AccessPolicies;
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(Input(sandbox, vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("a vault allows at most 1024", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        var log = sandbox.Emulator.GetRequestLog().Select((entry, index) => (entry, index)).ToList();
        var adds = log.Where(e => e.entry.Method == "PUT" && e.entry.Path.EndsWith("/accessPolicies/add", StringComparison.OrdinalIgnoreCase)).ToList();
        var groupPut = log.First(e => e.entry.Method == "PUT" && e.entry.Path.Contains("/containerGroups/web", StringComparison.OrdinalIgnoreCase)).index;
        Assert.Equal([200, 400], adds.Select(e => e.entry.Status));
        Assert.True(adds[0].index < groupPut && groupPut < adds[1].index, "the system principal's add comes after the group's PUT");
        Assert.Single(log, e => e.entry.Method == "PUT" && e.entry.Path.EndsWith("/accessPolicies/remove", StringComparison.OrdinalIgnoreCase));
        var after = await sandbox.ReadVaultAsync(vaultId);
        Assert.Equal(policiesBefore.Count, after.AccessPolicies.Count);
        Assert.Equal(["get"], after.SecretPermissionsOf(other));
        Assert.Equal(before, sandbox.Inventory());
    }

    private static ProvisioningInput Input(ProvisioningSandbox sandbox, string vaultId)
    {
        var values = new Dictionary<string, JsonNode?>
        {
            ["image"] = ProvisioningSandbox.Image,
            ["registryId"] = sandbox.RegistryId,
            ["vaultId"] = vaultId,
        };
        var resolved = TemplateLoader.Parse(Template, "web-kv-system.yaml").Bind(values, new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));
        return new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings);
    }

    private static async Task<string> SystemPrincipalAsync(ProvisioningSandbox sandbox)
    {
        using var response = await sandbox.Arm.GetAsync($"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/web?api-version=2025-09-01");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["identity"]!["principalId"]!.GetValue<string>();
    }
}
