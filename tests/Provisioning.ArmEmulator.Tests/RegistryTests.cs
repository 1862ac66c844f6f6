using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests;

public sealed class RegistryTests
{
    [Theory]
    [InlineData("2025-11-01")]
    [InlineData("2023-07-01")]
    public async Task Create_is_long_running_with_AzureAsyncOperation(string apiVersion)
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("myResourceGroup");
        var path = $"{e.Sub}/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry";
        // From RegistryCreate.json: location, tags, sku, properties.adminUserEnabled.
        using var created = await e.PutAsync(path, apiVersion, """{"location":"westus2","tags":{"key":"value"},"sku":{"name":"Standard"},"properties":{"adminUserEnabled":true}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Creating", (await TestEmulator.JsonAsync(created))["properties"]!["provisioningState"]!.GetValue<string>());
        var operation = created.Headers.GetValues("Azure-AsyncOperation").Single();

        var status = await TestEmulator.JsonAsync(await e.Http.GetAsync(operation));
        Assert.Equal("InProgress", status["status"]!.GetValue<string>());
        e.Time.Advance(TimeSpan.FromSeconds(3));
        status = await TestEmulator.JsonAsync(await e.Http.GetAsync(operation));
        Assert.Equal("Succeeded", status["status"]!.GetValue<string>());

        var registry = await TestEmulator.JsonAsync(await e.GetAsync(path, apiVersion));
        Assert.Equal("myregistry.azurecr.io", registry["properties"]!["loginServer"]!.GetValue<string>());
        Assert.Equal("AzureServices", registry["properties"]!["networkRuleBypassOptions"]!.GetValue<string>());
        Assert.Equal("Standard", registry["sku"]!["name"]!.GetValue<string>());

        using var creds = await e.PostAsync(path + "/listCredentials", apiVersion);
        Assert.Equal("myRegistry", (await TestEmulator.JsonAsync(creds))["username"]!.GetValue<string>());

        using var patched = await e.PatchAsync(path, apiVersion, """{"properties":{"publicNetworkAccess":"Disabled","networkRuleBypassOptions":"None"}}""");
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("Disabled", (await TestEmulator.JsonAsync(patched))["properties"]!["publicNetworkAccess"]!.GetValue<string>());

        using var deleted = await e.DeleteAsync(path, apiVersion);
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        e.Time.Advance(TimeSpan.FromSeconds(3));
        using var gone = await e.GetAsync(path, apiVersion);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var deleteAgain = await e.DeleteAsync(path, apiVersion);
        Assert.Equal(HttpStatusCode.NoContent, deleteAgain.StatusCode);
    }

    [Fact]
    public async Task Bad_sku_missing_sku_and_bad_name_are_rejected()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var path = $"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries";
        using var badSku = await e.PutAsync(path + "/goodname", "2025-11-01", """{"location":"westeurope","sku":{"name":"Gold"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, badSku.StatusCode);
        var error = (await TestEmulator.JsonAsync(badSku))["error"]!;
        Assert.Equal("InvalidRequestContent", error["code"]!.GetValue<string>());
        Assert.Equal("sku.name", error["target"]!.GetValue<string>());

        using var noSku = await e.PutAsync(path + "/goodname", "2025-11-01", """{"location":"westeurope"}""");
        Assert.Equal("sku", (await TestEmulator.JsonAsync(noSku))["error"]!["target"]!.GetValue<string>());

        using var badName = await e.PutAsync(path + "/bad-name", "2025-11-01", """{"location":"westeurope","sku":{"name":"Basic"}}""");
        Assert.Equal("InvalidResourceName", await TestEmulator.ErrorCodeAsync(badName));
    }

    [Fact]
    public async Task Admin_push_adds_tags_and_raises_ImagePushed()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        await e.CreateRegistryAsync("rg", "pushreg");
        using var push = await e.Http.PostAsJsonAsync("/_emulator/registries/pushreg/images", new { repository = "samples/hello", tag = "v1" });
        Assert.Equal(HttpStatusCode.Created, push.StatusCode);
        var images = (await e.Http.GetFromJsonAsync<JsonObject>("/_emulator/registries/pushreg/images"))!;
        Assert.NotNull(images["samples/hello"]!["v1"]);
        var pushed = e.Server.GetEvents().Single(ev => ev.EventType == "Microsoft.ContainerRegistry.ImagePushed");
        Assert.Equal("samples/hello:v1", pushed.Subject);
        Assert.Equal("v1", pushed.Data["target"]!["tag"]!.GetValue<string>());

        using var delete = await e.Http.DeleteAsync("/_emulator/registries/pushreg/images?repository=samples/hello&tag=v1");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var deleted = e.Server.GetEvents().Single(ev => ev.EventType == "Microsoft.ContainerRegistry.ImageDeleted");
        Assert.Equal("samples/hello", deleted.Subject);
        Assert.Null(deleted.Data["target"]!["tag"]);

        using var missing = await e.Http.PostAsJsonAsync("/_emulator/registries/nope/images", new { repository = "a", tag = "b" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
