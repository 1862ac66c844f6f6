using System.Net;

namespace Provisioning.ArmEmulator.Tests;

public sealed class IdentityTests
{
    [Theory]
    [InlineData("2024-11-30")]
    [InlineData("2023-01-31")]
    public async Task Put_creates_identity_with_principal_client_and_tenant(string apiVersion)
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rgName");
        var path = $"{e.Sub}/resourceGroups/rgName/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identityName";
        // From the spec example IdentityCreate.json: location + tags.
        using var created = await e.PutAsync(path, apiVersion, """{"location":"westeurope","tags":{"key1":"value1","key2":"value2"}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await TestEmulator.JsonAsync(created);
        Assert.Equal("Microsoft.ManagedIdentity/userAssignedIdentities", body["type"]!.GetValue<string>());
        Assert.True(Guid.TryParse(body["properties"]!["principalId"]!.GetValue<string>(), out _));
        Assert.True(Guid.TryParse(body["properties"]!["clientId"]!.GetValue<string>(), out _));
        Assert.Equal(e.Server.TenantId, body["properties"]!["tenantId"]!.GetValue<string>());

        using var updated = await e.PutAsync(path, apiVersion, """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(body["properties"]!["principalId"]!.GetValue<string>(), (await TestEmulator.JsonAsync(updated))["properties"]!["principalId"]!.GetValue<string>());

        using var deleted = await e.DeleteAsync(path, apiVersion);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var deletedAgain = await e.DeleteAsync(path, apiVersion);
        Assert.Equal(HttpStatusCode.NoContent, deletedAgain.StatusCode);
        using var gone = await e.GetAsync(path, apiVersion);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("ResourceNotFound", await TestEmulator.ErrorCodeAsync(gone));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-starts-with-hyphen")]
    [InlineData("has.dot")]
    public async Task Invalid_names_are_rejected(string name)
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        using var r = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}", "2024-11-30", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Equal("InvalidResourceName", await TestEmulator.ErrorCodeAsync(r));
    }

    [Fact]
    public async Task Unknown_property_and_missing_group_and_bad_location_are_rejected()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        using var unknown = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1", "2024-11-30", """{"location":"westeurope","properties":{"colour":"blue"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var error = (await TestEmulator.JsonAsync(unknown))["error"]!;
        Assert.Equal("InvalidRequestContent", error["code"]!.GetValue<string>());
        Assert.Equal("properties.colour", error["target"]!.GetValue<string>());

        using var noGroup = await e.PutAsync($"{e.Sub}/resourceGroups/none/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1", "2024-11-30", """{"location":"westeurope"}""");
        Assert.Equal("ResourceGroupNotFound", await TestEmulator.ErrorCodeAsync(noGroup));

        using var badLocation = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1", "2024-11-30", """{"location":"moon"}""");
        Assert.Equal("LocationNotAvailableForResourceType", await TestEmulator.ErrorCodeAsync(badLocation));
    }
}
