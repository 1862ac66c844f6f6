using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests;

public sealed class KeyVaultTests
{
    [Fact]
    public async Task Vault_create_and_access_policies_add_and_remove()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("sample-resource-group");
        var path = $"{e.Sub}/resourceGroups/sample-resource-group/providers/Microsoft.KeyVault/vaults/sample-vault";
        // From createVault.json (trimmed).
        using var put = await e.PutAsync(path, "2024-11-01", $$$$$"""
            {"location":"westus2","properties":{"tenantId":"{{{{{e.Server.TenantId}}}}}","sku":{"family":"A","name":"standard"},
             "accessPolicies":[],"enabledForDeployment":true,"enabledForDiskEncryption":true,"enabledForTemplateDeployment":true,"publicNetworkAccess":"Enabled"}}
            """);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var vault = await TestEmulator.JsonAsync(put);
        Assert.Equal("https://sample-vault.vault.azure.net/", vault["properties"]!["vaultUri"]!.GetValue<string>());
        Assert.False(vault["properties"]!["enableRbacAuthorization"]!.GetValue<bool>());

        var objectId = Guid.NewGuid().ToString();
        string Policy(string secrets) => $$$$$"""{"properties":{"accessPolicies":[{"tenantId":"{{{{{e.Server.TenantId}}}}}","objectId":"{{{{{objectId}}}}}","permissions":{"secrets":[{{{{{secrets}}}}}]}}]}}""";
        using var add = await e.PutAsync(path + "/accessPolicies/add", "2024-11-01", Policy("\"get\""));
        Assert.Equal(HttpStatusCode.OK, add.StatusCode);
        using var addMore = await e.PutAsync(path + "/accessPolicies/add", "2024-11-01", Policy("\"list\""));
        var policies = (await TestEmulator.JsonAsync(addMore))["properties"]!["accessPolicies"]!.AsArray();
        var secrets = Assert.Single(policies)!["permissions"]!["secrets"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal(["get", "list"], secrets);

        using var remove = await e.PutAsync(path + "/accessPolicies/remove", "2024-11-01", Policy("\"get\",\"list\""));
        Assert.Empty((await TestEmulator.JsonAsync(remove))["properties"]!["accessPolicies"]!.AsArray());

        using var badPermission = await e.PutAsync(path + "/accessPolicies/add", "2024-11-01", Policy("\"steal\""));
        Assert.Equal(HttpStatusCode.BadRequest, badPermission.StatusCode);
        Assert.Equal("InvalidRequestContent", await TestEmulator.ErrorCodeAsync(badPermission));

        using var rbac = await e.PatchAsync(path, "2024-11-01", """{"properties":{"enableRbacAuthorization":true}}""");
        Assert.True((await TestEmulator.JsonAsync(rbac))["properties"]!["enableRbacAuthorization"]!.GetValue<bool>());

        using var delete = await e.DeleteAsync(path, "2024-11-01");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        using var deleteAgain = await e.DeleteAsync(path, "2024-11-01");
        Assert.Equal(HttpStatusCode.NoContent, deleteAgain.StatusCode);
    }

    [Fact]
    public async Task Missing_sku_bad_name_and_duplicate_name_are_rejected()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        await e.CreateGroupAsync("rg2");
        using var noSku = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-one", "2024-11-01", $$$$$"""{"location":"westeurope","properties":{"tenantId":"{{{{{e.Server.TenantId}}}}}"}}""");
        Assert.Equal("properties.sku", (await TestEmulator.JsonAsync(noSku))["error"]!["target"]!.GetValue<string>());

        using var badName = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv--bad", "2024-11-01", $$$$$"""{"location":"westeurope","properties":{"tenantId":"{{{{{e.Server.TenantId}}}}}","sku":{"family":"A","name":"standard"}}}""");
        Assert.Equal("VaultNameNotValid", await TestEmulator.ErrorCodeAsync(badName));

        var body = $$$$$"""{"location":"westeurope","properties":{"tenantId":"{{{{{e.Server.TenantId}}}}}","sku":{"family":"A","name":"premium"},"enableRbacAuthorization":true}}""";
        using var first = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-one", "2024-11-01", body);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var taken = await e.PutAsync($"{e.Sub}/resourceGroups/rg2/providers/Microsoft.KeyVault/vaults/kv-one", "2024-11-01", body);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("VaultAlreadyExists", await TestEmulator.ErrorCodeAsync(taken));
    }
}
