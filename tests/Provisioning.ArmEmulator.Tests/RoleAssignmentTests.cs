using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests;

public sealed class RoleAssignmentTests
{
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    private static string Body(TestEmulator e, string principalId, string role = AcrPull, string? principalType = null) =>
        "{\"properties\":{\"roleDefinitionId\":\"" + e.Sub + "/providers/Microsoft.Authorization/roleDefinitions/" + role + "\",\"principalId\":\"" + principalId + "\"" + (principalType is null ? string.Empty : ",\"principalType\":\"" + principalType + "\"") + "}}";

    [Fact]
    public async Task New_principal_is_PrincipalNotFound_without_principalType_until_replicated()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var principal = (await e.CreateIdentityAsync("rg", "id1"))["properties"]!["principalId"]!.GetValue<string>();
        var scope = $"{e.Sub}/resourceGroups/rg";

        using var early = await e.PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", Body(e, principal));
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        var error = (await TestEmulator.JsonAsync(early))["error"]!;
        Assert.Equal("PrincipalNotFound", error["code"]!.GetValue<string>());
        Assert.Contains("principalType", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var typed = await e.PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", Body(e, principal, principalType: "ServicePrincipal"));
        Assert.Equal(HttpStatusCode.Created, typed.StatusCode);
        var created = await TestEmulator.JsonAsync(typed);
        Assert.Equal(scope, created["properties"]!["scope"]!.GetValue<string>());
        Assert.Equal("ServicePrincipal", created["properties"]!["principalType"]!.GetValue<string>());

        e.Time.Advance(TimeSpan.FromSeconds(11));
        using var late = await e.PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", Body(e, principal, Reader));
        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
    }

    [Fact]
    public async Task Duplicate_under_another_name_is_RoleAssignmentExists_and_name_reuse_is_UpdateNotPermitted()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var a = (await e.CreateIdentityAsync("rg", "ida"))["properties"]!["principalId"]!.GetValue<string>();
        var b = (await e.CreateIdentityAsync("rg", "idb"))["properties"]!["principalId"]!.GetValue<string>();
        var scope = $"{e.Sub}/resourceGroups/rg";
        var name = Guid.NewGuid();
        using var first = await e.PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "2022-04-01", Body(e, a, principalType: "ServicePrincipal"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var same = await e.PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "2022-04-01", Body(e, a, principalType: "ServicePrincipal"));
        Assert.True(same.IsSuccessStatusCode);

        using var duplicate = await e.PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", Body(e, a, principalType: "ServicePrincipal"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("RoleAssignmentExists", await TestEmulator.ErrorCodeAsync(duplicate));

        using var reuse = await e.PutAsync($"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", "2022-04-01", Body(e, b, principalType: "ServicePrincipal"));
        Assert.Equal(HttpStatusCode.Conflict, reuse.StatusCode);
        Assert.Equal("RoleAssignmentUpdateNotPermitted", await TestEmulator.ErrorCodeAsync(reuse));
    }

    [Fact]
    public async Task Name_must_be_a_guid_and_role_must_exist()
    {
        await using var e = await TestEmulator.StartAsync();
        var principal = e.Server.AddPrincipal().ObjectId;
        using var notGuid = await e.PutAsync($"{e.Sub}/providers/Microsoft.Authorization/roleAssignments/not-a-guid", "2022-04-01", Body(e, principal, principalType: "User"));
        Assert.Equal(HttpStatusCode.BadRequest, notGuid.StatusCode);
        Assert.Equal("InvalidRoleAssignmentId", await TestEmulator.ErrorCodeAsync(notGuid));

        using var badRole = await e.PutAsync($"{e.Sub}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", Body(e, principal, Guid.NewGuid().ToString(), "User"));
        Assert.Equal("RoleDefinitionDoesNotExist", await TestEmulator.ErrorCodeAsync(badRole));

        using var missingPrincipal = await e.PutAsync($"{e.Sub}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", "{\"properties\":{\"roleDefinitionId\":\"" + e.Sub + "/providers/Microsoft.Authorization/roleDefinitions/" + AcrPull + "\"}}");
        Assert.Equal(HttpStatusCode.BadRequest, missingPrincipal.StatusCode);
        Assert.Equal("properties.principalId", (await TestEmulator.JsonAsync(missingPrincipal))["error"]!["target"]!.GetValue<string>());

        using var badType = await e.PutAsync($"{e.Sub}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", Body(e, principal, principalType: "Robot"));
        Assert.Equal("InvalidRequestContent", await TestEmulator.ErrorCodeAsync(badType));
    }

    [Fact]
    public async Task Lists_follow_scope_inheritance_filters_and_paging()
    {
        await using var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { PageSize = 2 });
        await e.CreateGroupAsync("rg");
        var registry = (await e.CreateRegistryAsync("rg", "myregistry1"))["id"]!.GetValue<string>();
        var p1 = e.Server.AddPrincipal("ServicePrincipal").ObjectId;
        var p2 = e.Server.AddPrincipal("ServicePrincipal").ObjectId;
        await e.GrantAsync(e.Sub, p1, Reader);
        await e.GrantAsync($"{e.Sub}/resourceGroups/rg", p1, AcrPull);
        await e.GrantAsync(registry, p1, "8311e382-0749-4cb8-b61a-304f252e45ec");
        await e.GrantAsync(registry, p2, AcrPull);

        async Task<List<JsonObject>> ListAll(string scope, string filter)
        {
            var items = new List<JsonObject>();
            var url = $"{scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01" + (filter.Length > 0 ? "&$filter=" + Uri.EscapeDataString(filter) : string.Empty);
            var pages = 0;
            while (url is not null)
            {
                using var r = await e.Http.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                var body = await TestEmulator.JsonAsync(r);
                items.AddRange(body["value"]!.AsArray().Select(v => (JsonObject)v!));
                url = body["nextLink"]?.GetValue<string>();
                pages++;
            }

            Assert.True(pages == 1 || items.Count > 2);
            return items;
        }

        Assert.Equal(4, (await ListAll(registry, "atScope()")).Count);
        Assert.Equal(2, (await ListAll($"{e.Sub}/resourceGroups/rg", "atScope()")).Count);
        Assert.Equal(4, (await ListAll($"{e.Sub}/resourceGroups/rg", string.Empty)).Count);
        Assert.Equal(3, (await ListAll(e.Sub, $"principalId eq '{p1}'")).Count);
        Assert.Single(await ListAll(e.Sub, $"principalId eq '{p2}'"));

        using var page = await e.GetAsync($"{e.Sub}/providers/Microsoft.Authorization/roleAssignments", "2022-04-01");
        Assert.NotNull((await TestEmulator.JsonAsync(page))["nextLink"]);
    }

    [Fact]
    public async Task Get_and_delete_follow_ARM_and_role_definitions_are_listed()
    {
        await using var e = await TestEmulator.StartAsync();
        var principal = e.Server.AddPrincipal().ObjectId;
        e.Time.Advance(TimeSpan.FromMinutes(1));
        var path = $"{e.Sub}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}";
        using var created = await e.PutAsync(path, "2022-04-01", Body(e, principal));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("User", (await TestEmulator.JsonAsync(created))["properties"]!["principalType"]!.GetValue<string>());
        using var get = await e.GetAsync(path, "2022-04-01");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var deleted = await e.DeleteAsync(path, "2022-04-01");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        using var again = await e.DeleteAsync(path, "2022-04-01");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        using var missing = await e.GetAsync(path, "2022-04-01");
        Assert.Equal("RoleAssignmentNotFound", await TestEmulator.ErrorCodeAsync(missing));

        using var roles = await e.GetAsync($"{e.Sub}/providers/Microsoft.Authorization/roleDefinitions?$filter={Uri.EscapeDataString("roleName eq 'AcrPull'")}", "2022-04-01");
        var role = (await TestEmulator.JsonAsync(roles))["value"]!.AsArray().Single()!;
        Assert.Equal(AcrPull, role["name"]!.GetValue<string>());
        using var byId = await e.GetAsync($"{e.Sub}/providers/Microsoft.Authorization/roleDefinitions/b93aa761-3e63-49ed-ac28-beffa264f7ac", "2022-04-01");
        Assert.Equal("Container Registry Repository Reader", (await TestEmulator.JsonAsync(byId))["properties"]!["roleName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Role_definitions_read_at_any_scope_carry_the_subscription_level_id_assignments_use()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var registry = (await e.CreateRegistryAsync("rg", "scopeacr"))["id"]!.GetValue<string>();
        var expected = $"{e.Sub}/providers/Microsoft.Authorization/roleDefinitions/{AcrPull}";
        var principal = e.Server.AddPrincipal("ServicePrincipal").ObjectId;
        using var assignment = await e.PutAsync($"{registry}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", "2022-04-01", Body(e, principal, principalType: "ServicePrincipal"));
        Assert.Equal(expected, (await TestEmulator.JsonAsync(assignment))["properties"]!["roleDefinitionId"]!.GetValue<string>());

        foreach (var scope in new[] { registry, $"{e.Sub}/resourceGroups/rg", e.Sub })
        {
            using var list = await e.GetAsync($"{scope}/providers/Microsoft.Authorization/roleDefinitions?$filter={Uri.EscapeDataString("roleName eq 'AcrPull'")}", "2022-04-01");
            Assert.Equal(expected, (await TestEmulator.JsonAsync(list))["value"]![0]!["id"]!.GetValue<string>());
            using var get = await e.GetAsync($"{scope}/providers/Microsoft.Authorization/roleDefinitions/{AcrPull}", "2022-04-01");
            Assert.Equal(expected, (await TestEmulator.JsonAsync(get))["id"]!.GetValue<string>());
        }
    }
}
