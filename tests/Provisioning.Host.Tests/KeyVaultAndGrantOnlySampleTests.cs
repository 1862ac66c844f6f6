using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Tests;

/// <summary>
/// The grant-only and Key Vault access samples (templates/vm-grant.yaml, templates/keyvault-web.yaml,
/// templates/keyvault-web-system.yaml) started through
/// the real host's HTTP API against what the sandbox seeds (a VM with a system-assigned identity, a vault in
/// access-policy mode), followed to Completed, and their output checked against the emulator's state.
/// </summary>
public sealed class KeyVaultAndGrantOnlySampleTests(KeyVaultAndGrantOnlySampleTests.Fixture fixture) : IClassFixture<KeyVaultAndGrantOnlySampleTests.Fixture>
{
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private readonly LoopbackHost _host = fixture.Host;

    [Fact]
    public async Task The_grant_only_sample_grants_AcrPull_to_the_seeded_VMs_system_identity_and_says_readiness_is_an_estimate()
    {
        var status = await StartAndFinishAsync("vm-grant", $$$"""{"resourceGroup":"rg-sandbox","parameters":{"vmName":"{{{SandboxSeed.VirtualMachine}}}","registryName":"sandboxacr"}}""");

        Assert.Equal("Completed", (string?)status["runtimeStatus"]);
        var sandbox = _host.Services.GetRequiredService<SandboxEnvironment>();
        using var arm = sandbox.CreateHttpClient();
        var vm = await arm.GetFromJsonAsync<JsonObject>($"/subscriptions/{sandbox.SubscriptionId}/resourceGroups/rg-sandbox/providers/Microsoft.Compute/virtualMachines/{SandboxSeed.VirtualMachine}?api-version=2024-11-01");
        var principal = (string)vm!["identity"]!["principalId"]!;
        var output = status["output"]!;
        Assert.Equal(principal, (string?)output["principalId"]);
        Assert.Equal("estimate", (string?)output["outputs"]!["readiness"]);

        // The ledger holds exactly the one AcrPull assignment at the registry, and it is what ARM lists for the principal.
        var assignment = Assert.Single(output["created"]!.AsArray().Select(id => (string)id!));
        Assert.StartsWith(sandbox.RegistryId + "/providers/Microsoft.Authorization/roleAssignments/", assignment, StringComparison.OrdinalIgnoreCase);
        var listed = await arm.GetFromJsonAsync<JsonObject>($"{sandbox.RegistryId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$filter={Uri.EscapeDataString($"principalId eq '{principal}'")}");
        var role = Assert.Single(listed!["value"]!.AsArray(), a => string.Equals((string?)a!["id"], assignment, StringComparison.OrdinalIgnoreCase))!;
        Assert.EndsWith(AcrPull, (string?)role["properties"]!["roleDefinitionId"], StringComparison.OrdinalIgnoreCase);
        Assert.Contains("This is an estimate", (string?)status["customStatus"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Key_Vault_sample_adds_get_and_list_for_its_identity_to_the_seeded_vault_and_the_group_runs()
    {
        var status = await StartAndFinishAsync("web-keyvault", $$$"""{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr","vaultName":"{{{SandboxSeed.KeyVault}}}"}}""");

        Assert.Equal("Completed", (string?)status["runtimeStatus"]);
        var output = status["output"]!;
        var principal = (string)output["principalId"]!;
        var keyVault = output["outputs"]!["keyVault"]!;
        Assert.Equal("accessPolicy", (string?)keyVault["mode"]);
        Assert.Equal([principal], keyVault["principalIds"]!.AsArray().Select(p => (string)p!));
        Assert.EndsWith("/containerGroups/web-kv", (string?)output["workloadId"], StringComparison.Ordinal);

        var sandbox = _host.Services.GetRequiredService<SandboxEnvironment>();
        using var arm = sandbox.CreateHttpClient();
        var vault = await arm.GetFromJsonAsync<JsonObject>($"/subscriptions/{sandbox.SubscriptionId}/resourceGroups/rg-sandbox/providers/Microsoft.KeyVault/vaults/{SandboxSeed.KeyVault}?api-version=2024-11-01");
        var entry = Assert.Single(vault!["properties"]!["accessPolicies"]!.AsArray(), p => (string?)p!["objectId"] == principal)!;
        Assert.Equal(["get", "list"], entry["permissions"]!["secrets"]!.AsArray().Select(p => (string)p!));

        // The access-policy entry is not a resource: the ledger holds the identity, its AcrPull grant and the group only.
        Assert.Equal(3, output["created"]!.AsArray().Count);
        Assert.DoesNotContain(output["created"]!.AsArray(), id => ((string)id!).Contains("/vaults/", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_system_identity_Key_Vault_sample_gives_the_groups_own_principal_get_and_list_after_the_deploy()
    {
        var status = await StartAndFinishAsync("web-keyvault-system", $$$"""{"resourceGroup":"rg-sandbox","parameters":{"vaultName":"{{{SandboxSeed.KeyVault}}}"}}""");

        Assert.Equal("Completed", (string?)status["runtimeStatus"]);
        var output = status["output"]!;
        var sandbox = _host.Services.GetRequiredService<SandboxEnvironment>();
        using var arm = sandbox.CreateHttpClient();
        var groupId = (string)output["workloadId"]!;
        var group = await arm.GetFromJsonAsync<JsonObject>($"{groupId}?api-version=2023-05-01");
        var principal = (string)group!["identity"]!["principalId"]!;
        Assert.Equal("SystemAssigned", (string?)group["identity"]!["type"]);
        Assert.Equal([principal], output["outputs"]!["keyVault"]!["principalIds"]!.AsArray().Select(p => (string)p!));

        var vault = await arm.GetFromJsonAsync<JsonObject>($"/subscriptions/{sandbox.SubscriptionId}/resourceGroups/rg-sandbox/providers/Microsoft.KeyVault/vaults/{SandboxSeed.KeyVault}?api-version=2024-11-01");
        var entry = Assert.Single(vault!["properties"]!["accessPolicies"]!.AsArray(), p => (string?)p!["objectId"] == principal)!;
        Assert.Equal(["get", "list"], entry["permissions"]!["secrets"]!.AsArray().Select(p => (string)p!));

        // Nothing but the group was created: no user-assigned identity, and the access-policy entry is not a resource.
        Assert.Equal([groupId], output["created"]!.AsArray().Select(id => (string)id!));
    }

    private async Task<JsonObject> StartAndFinishAsync(string template, string body)
    {
        using var response = await _host.Http.PostAsync($"/api/provisioning/{template}?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(body));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);
    }

    /// <summary>A quick sandbox whose grant-only propagation estimate is one second instead of ten minutes.</summary>
    public sealed class Fixture() : HostFixture(
    [
        "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:01",
        "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
        "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
        "--Provisioning:Timings:GrantPropagationWait", "00:00:01",
    ]);
}
