using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm.KeyVault;
using Provisioning.Arm.Resources;
using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests.KeyVault;

/// <summary>A container group whose identity needs a vault's secrets (issue 14 §3), through the real engine against the emulator.</summary>
public sealed class KeyVaultAccessTests
{
    private const string VaultName = "kv-e2e";

    private static readonly string Template = ProvisioningSandbox.TemplateYaml
        .Replace("  identityName: { type: string, defaultValue: web-puller }", "  identityName: { type: string, defaultValue: web-puller }\n  vaultId: { type: string }\n  secrets: { type: string, defaultValue: get }", StringComparison.Ordinal)
        .Replace("  name: web\n  location:", "  name: web\n  keyVault:\n    id: \"[parameters('vaultId')]\"\n    secrets: [\"[parameters('secrets')]\", list]\n  location:", StringComparison.Ordinal);

    [Fact]
    public async Task Access_policy_mode_adds_get_and_list_for_the_identity_and_the_group_runs()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: false);

        var done = await sandbox.RunAsync(Input(sandbox, vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var vault = await sandbox.ReadVaultAsync(vaultId);
        Assert.Equal(["get", "list"], vault.SecretPermissionsOf(result.PrincipalId!));
        Assert.Equal("accessPolicy", result.Outputs!["keyVault"]!["mode"]!.GetValue<string>());
        Assert.Equal(
            $"The container group is running. Its identity has secrets get, list in the access policy of '{VaultName}' (added: get, list).",
            (string?)JsonNode.Parse(done.SerializedCustomStatus!)!["message"]);
        Assert.DoesNotContain(result.RoleAssignmentIds, id => id.StartsWith(vaultId, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_failed_run_removes_exactly_the_permissions_it_added_and_keeps_what_existed_before()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure with { RegionsOverQuota = ["westeurope"] });
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: false);

        // The identity exists before the run with 'get' already granted; another principal has its own entry.
        using var identityPut = await sandbox.PutAsync($"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller", "2024-11-30", """{"location":"westeurope"}""");
        var principal = JsonNode.Parse(await identityPut.Content.ReadAsStringAsync())!["properties"]!["principalId"]!.GetValue<string>();
        var other = Guid.NewGuid().ToString();
        await sandbox.ArmClient.KeyVaults.AddAccessPolicyAsync(ArmResourceId.Parse(vaultId), sandbox.Emulator.TenantId, principal, ["get"], CancellationToken.None);
        await sandbox.ArmClient.KeyVaults.AddAccessPolicyAsync(ArmResourceId.Parse(vaultId), sandbox.Emulator.TenantId, other, ["get", "list"], CancellationToken.None);
        var before = sandbox.Inventory();
        var policiesBefore = (await sandbox.ReadVaultAsync(vaultId)).AccessPolicies;
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(Input(sandbox, vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("quota", done.FailureDetails!.ErrorMessage, StringComparison.OrdinalIgnoreCase);
        var log = sandbox.Emulator.GetRequestLog();
        Assert.Single(log, entry => entry.Method == "PUT" && entry.Path.EndsWith("/accessPolicies/add", StringComparison.OrdinalIgnoreCase));
        Assert.Single(log, entry => entry.Method == "PUT" && entry.Path.EndsWith("/accessPolicies/remove", StringComparison.OrdinalIgnoreCase));
        var after = await sandbox.ReadVaultAsync(vaultId);
        Assert.Equal(["get"], after.SecretPermissionsOf(principal));
        Assert.Equal(["get", "list"], after.SecretPermissionsOf(other));
        Assert.Equal(policiesBefore.Count, after.AccessPolicies.Count);
        Assert.Equal(before, sandbox.Inventory());
    }

    [Fact]
    public async Task RBAC_mode_grants_Key_Vault_Secrets_User_at_the_vault_and_adds_no_access_policy()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: true);

        var done = await sandbox.RunAsync(Input(sandbox, vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        var assignment = Assert.Single(result.RoleAssignmentIds, id => id.StartsWith(vaultId + "/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(assignment, result.Created);
        var listed = await sandbox.ArmClient.RoleAssignments.ListForPrincipalAsync(ArmResourceId.Parse(vaultId), result.PrincipalId!, CancellationToken.None);
        Assert.Equal("4633458b-17de-408a-b874-0445c86b69e6", Assert.Single(listed, a => a.Id == assignment).RoleDefinitionGuid.ToString());
        Assert.Empty((await sandbox.ReadVaultAsync(vaultId)).AccessPolicies);
        Assert.Equal("rbac", result.Outputs!["keyVault"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task In_RBAC_mode_a_failed_run_deletes_the_Secrets_User_assignment_it_made()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure with { RegionsOverQuota = ["westeurope"] });
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: true);
        var before = sandbox.Inventory();

        var done = await sandbox.RunAsync(Input(sandbox, vaultId));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var ledger = JsonNode.Parse(done.SerializedCustomStatus!)!["compensation"]!.ToJsonString();
        Assert.Contains(vaultId + "/providers/Microsoft.Authorization/roleAssignments/", ledger, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, sandbox.Inventory());
    }

    [Fact]
    public async Task RBAC_mode_refuses_permissions_Secrets_User_does_not_give_and_a_missing_vault_is_refused_with_the_fix()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(ProvisioningSandbox.QuickAzure);
        var vaultId = await sandbox.CreateVaultAsync(VaultName, rbac: true);
        var before = sandbox.Inventory();

        var tooMuch = await sandbox.RunAsync(Input(sandbox, vaultId, secrets: "set"));
        var missing = await sandbox.RunAsync(Input(sandbox, vaultId.Replace(VaultName, "kv-nowhere", StringComparison.Ordinal)));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, tooMuch.RuntimeStatus);
        Assert.Contains("uses RBAC (enableRbacAuthorization), where the Key Vault Secrets User role gives get and list only, but the template asks for set.", tooMuch.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, missing.RuntimeStatus);
        Assert.Contains("/vaults/kv-nowhere' does not exist (or this app cannot read it). Create it, or fix 'workload.keyVault.id'", missing.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }

    private static ProvisioningInput Input(ProvisioningSandbox sandbox, string vaultId, string secrets = "get")
    {
        var values = new Dictionary<string, JsonNode?>
        {
            ["image"] = ProvisioningSandbox.Image,
            ["registryId"] = sandbox.RegistryId,
            ["vaultId"] = vaultId,
            ["secrets"] = secrets,
        };
        var resolved = TemplateLoader.Parse(Template, "web-kv.yaml").Bind(values, new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));
        return new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings);
    }
}
