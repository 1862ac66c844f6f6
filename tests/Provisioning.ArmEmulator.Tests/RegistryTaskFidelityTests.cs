using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.ContainerRegistry;

namespace Provisioning.ArmEmulator.Tests;

/// <summary>
/// ACR Tasks as ACR behaves: a task's system-assigned identity, pulls from a custom registry that fail with ACR's run
/// error until the grant is effective, trusted services on a network-restricted registry, and the run list.
/// </summary>
public sealed class RegistryTaskFidelityTests
{
    private const string Version = "2025-03-01-preview";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string Reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

    private static string Encoded(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string PullStep(string image) => Encoded($"version: v1.1.0\nsteps:\n  - cmd: {image} echo hello\n");

    /// <summary>A task whose step runs an image from <paramref name="server"/>, logging in there with <paramref name="login"/>.</summary>
    private static string TaskBody(string identity, string server, string login, string image) => new JsonObject
    {
        ["location"] = "westeurope",
        ["identity"] = JsonNode.Parse(identity),
        ["properties"] = new JsonObject
        {
            ["platform"] = new JsonObject { ["os"] = "Linux", ["architecture"] = "amd64" },
            ["agentConfiguration"] = new JsonObject { ["cpu"] = 2 },
            ["step"] = new JsonObject { ["type"] = "EncodedTask", ["encodedTaskContent"] = PullStep(image) },
            ["credentials"] = new JsonObject { ["customRegistries"] = new JsonObject { [server] = new JsonObject { ["identity"] = login } } },
        },
    }.ToJsonString();

    private static string QuickTaskBody(string image) => new JsonObject
    {
        ["location"] = "westeurope",
        ["properties"] = new JsonObject
        {
            ["platform"] = new JsonObject { ["os"] = "Linux" },
            ["step"] = new JsonObject { ["type"] = "EncodedTask", ["encodedTaskContent"] = PullStep(image) },
        },
    }.ToJsonString();

    private static async Task<JsonObject> CreateTaskAsync(TestEmulator e, string path, string body)
    {
        using var response = await e.PutAsync(path, Version, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await TestEmulator.JsonAsync(response);
    }

    /// <summary>Schedules a run of the task, lets it finish on the fake clock and reads it back.</summary>
    private static async Task<JsonObject> RunToEndAsync(TestEmulator e, string registry, string taskId)
    {
        using var schedule = await e.PostAsync($"{registry}/scheduleRun", Version, $$"""{"type":"TaskRunRequest","taskId":"{{taskId}}"}""");
        Assert.Equal(HttpStatusCode.OK, schedule.StatusCode);
        var runId = (await TestEmulator.JsonAsync(schedule))["properties"]!["runId"]!.GetValue<string>();
        e.Time.Advance(TimeSpan.FromSeconds(2));
        using var read = await e.GetAsync($"{registry}/runs/{runId}", Version);
        return (JsonObject)(await TestEmulator.JsonAsync(read))["properties"]!;
    }

    private static async Task<HttpStatusCode> AssignWithoutPrincipalTypeAsync(TestEmulator e, string scope, string principalId)
    {
        using var response = await e.PutAsync(
            $"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}",
            "2022-04-01",
            $$$"""{"properties":{"roleDefinitionId":"{{{e.Sub}}}/providers/Microsoft.Authorization/roleDefinitions/{{{Reader}}}","principalId":"{{{principalId}}}"}}""");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_system_identity_is_a_directory_principal_and_system_in_customRegistries_pulls_with_it_once_its_grant_is_effective()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var build = (await e.CreateRegistryAsync("rg", "buildacr"))["id"]!.GetValue<string>();
        var bases = (await e.CreateRegistryAsync("rg", "baseacr"))["id"]!.GetValue<string>();
        e.Server.PushImage("baseacr", "runtime", "8");

        var task = await CreateTaskAsync(e, $"{build}/tasks/system-task", TaskBody("""{"type":"SystemAssigned"}""", "baseacr.azurecr.io", "[system]", "baseacr.azurecr.io/runtime:8"));
        var principalId = task["identity"]!["principalId"]!.GetValue<string>();
        Assert.Equal("SystemAssigned", task["identity"]!["type"]!.GetValue<string>());
        Assert.True(Guid.TryParse(principalId, out _));
        Assert.Equal(e.Server.TenantId, task["identity"]!["tenantId"]!.GetValue<string>());

        // The principal exists in the directory: without principalType ARM refuses it until it has replicated, then
        // accepts it, as for any new principal; a principal the directory never had stays unknown.
        Assert.Equal(HttpStatusCode.BadRequest, await AssignWithoutPrincipalTypeAsync(e, build, principalId));
        e.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(HttpStatusCode.Created, await AssignWithoutPrincipalTypeAsync(e, build, principalId));
        Assert.Equal(HttpStatusCode.BadRequest, await AssignWithoutPrincipalTypeAsync(e, build, Guid.NewGuid().ToString()));

        // A second PUT keeps the principal.
        var again = await TestEmulator.JsonAsync(await e.PutAsync($"{build}/tasks/system-task", Version, TaskBody("""{"type":"SystemAssigned"}""", "baseacr.azurecr.io", "[system]", "baseacr.azurecr.io/runtime:8")));
        Assert.Equal(principalId, again["identity"]!["principalId"]!.GetValue<string>());

        var taskId = task["id"]!.GetValue<string>();
        var ungranted = await RunToEndAsync(e, build, taskId);
        Assert.Equal("Failed", ungranted["status"]!.GetValue<string>());
        Assert.Equal("failed during run, err: exit status 1", ungranted["runErrorMessage"]!.GetValue<string>());
        Assert.NotNull(ungranted["finishTime"]);

        await e.GrantAsync(bases, principalId, AcrPull);
        var propagating = await RunToEndAsync(e, build, taskId);
        Assert.Equal("Failed", propagating["status"]!.GetValue<string>());
        Assert.Equal(RunScheduler.FailedRunMessage, propagating["runErrorMessage"]!.GetValue<string>());

        e.Time.Advance(TimeSpan.FromSeconds(20));
        var effective = await RunToEndAsync(e, build, taskId);
        Assert.Equal("Succeeded", effective["status"]!.GetValue<string>());
        Assert.Null(effective["runErrorMessage"]);
    }

    [Fact]
    public async Task A_network_restricted_registry_trusts_a_tasks_system_identity_but_not_a_user_assigned_one()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var build = (await e.CreateRegistryAsync("rg", "buildacr"))["id"]!.GetValue<string>();
        var locked = (await e.CreateRegistryAsync("rg", "lockedacr", """{"publicNetworkAccess":"Disabled","networkRuleBypassOptions":"AzureServices","networkRuleSet":{"defaultAction":"Deny"}}"""))["id"]!.GetValue<string>();
        var closed = (await e.CreateRegistryAsync("rg", "closedacr", """{"publicNetworkAccess":"Disabled","networkRuleBypassOptions":"None"}"""))["id"]!.GetValue<string>();
        e.Server.PushImage("lockedacr", "runtime", "8");
        e.Server.PushImage("closedacr", "runtime", "8");
        var identity = await e.CreateIdentityAsync("rg", "task-puller");
        var userPrincipal = identity["properties"]!["principalId"]!.GetValue<string>();
        var clientId = identity["properties"]!["clientId"]!.GetValue<string>();

        var userTask = await CreateTaskAsync(e, $"{build}/tasks/user-task", TaskBody(
            new JsonObject { ["type"] = "UserAssigned", ["userAssignedIdentities"] = new JsonObject { [identity["id"]!.GetValue<string>()] = new JsonObject() } }.ToJsonString(), "lockedacr.azurecr.io", clientId, "lockedacr.azurecr.io/runtime:8"));
        var systemTask = await CreateTaskAsync(e, $"{build}/tasks/system-task", TaskBody("""{"type":"SystemAssigned"}""", "lockedacr.azurecr.io", "[system]", "lockedacr.azurecr.io/runtime:8"));
        var closedTask = await CreateTaskAsync(e, $"{build}/tasks/closed-task", TaskBody("""{"type":"SystemAssigned"}""", "closedacr.azurecr.io", "[system]", "closedacr.azurecr.io/runtime:8"));
        var systemPrincipal = systemTask["identity"]!["principalId"]!.GetValue<string>();
        await e.GrantAsync(locked, userPrincipal, AcrPull);
        await e.GrantAsync(locked, systemPrincipal, AcrPull);
        await e.GrantAsync(closed, closedTask["identity"]!["principalId"]!.GetValue<string>(), AcrPull);
        e.Time.Advance(TimeSpan.FromSeconds(30));

        var user = await RunToEndAsync(e, build, userTask["id"]!.GetValue<string>());
        var system = await RunToEndAsync(e, build, systemTask["id"]!.GetValue<string>());
        var noBypass = await RunToEndAsync(e, build, closedTask["id"]!.GetValue<string>());

        Assert.Equal("Failed", user["status"]!.GetValue<string>());
        Assert.Equal(RunScheduler.FailedRunMessage, user["runErrorMessage"]!.GetValue<string>());
        Assert.Equal("Succeeded", system["status"]!.GetValue<string>());
        Assert.Equal("Failed", noBypass["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_run_list_is_newest_first_with_filter_and_top_and_reports_each_status()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var registry = (await e.CreateRegistryAsync("rg", "listacr"))["id"]!.GetValue<string>();
        e.Server.PushImage("listacr", "base", "1");
        var good = await CreateTaskAsync(e, $"{registry}/tasks/good-task", QuickTaskBody("listacr.azurecr.io/base:1"));
        var bad = await CreateTaskAsync(e, $"{registry}/tasks/bad-task", QuickTaskBody("listacr.azurecr.io/missing:1"));

        var succeeded = await RunToEndAsync(e, registry, good["id"]!.GetValue<string>());
        var failed = await RunToEndAsync(e, registry, bad["id"]!.GetValue<string>());
        using var third = await e.PostAsync($"{registry}/scheduleRun", Version, $$"""{"type":"TaskRunRequest","taskId":"{{good["id"]}}"}""");
        var canceledId = (await TestEmulator.JsonAsync(third))["properties"]!["runId"]!.GetValue<string>();
        using (await e.PostAsync($"{registry}/runs/{canceledId}/cancel", Version))
        {
        }

        using var fourth = await e.PostAsync($"{registry}/scheduleRun", Version, $$"""{"type":"TaskRunRequest","taskId":"{{good["id"]}}"}""");
        var queuedId = (await TestEmulator.JsonAsync(fourth))["properties"]!["runId"]!.GetValue<string>();

        async Task<string[]> ListAsync(string query)
        {
            using var response = await e.GetAsync($"{registry}/runs{query}", Version);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await TestEmulator.JsonAsync(response))["value"]!.AsArray()
                .Select(r => $"{r!["properties"]!["runId"]}:{r["properties"]!["status"]}").ToArray();
        }

        var all = await ListAsync(string.Empty);
        Assert.Equal(
            [$"{queuedId}:Queued", $"{canceledId}:Canceled", $"{failed["runId"]}:Failed", $"{succeeded["runId"]}:Succeeded"],
            all);
        Assert.Equal([$"{queuedId}:Queued", $"{canceledId}:Canceled"], await ListAsync("?$top=2"));
        Assert.Equal([$"{failed["runId"]}:Failed"], await ListAsync("?$filter=" + Uri.EscapeDataString("TaskName eq 'bad-task'")));
        Assert.Equal([$"{succeeded["runId"]}:Succeeded"], await ListAsync("?$filter=" + Uri.EscapeDataString("TaskName eq 'good-task' and Status eq 'Succeeded'")));
        Assert.Equal(2, (await ListAsync("?$filter=" + Uri.EscapeDataString("Status eq 'Failed' or Status eq 'Succeeded'"))).Length);
        Assert.Equal([$"{queuedId}:Queued"], await ListAsync("?$top=1&$filter=" + Uri.EscapeDataString("TaskName eq 'good-task'")));

        e.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([$"{queuedId}:Running"], await ListAsync("?$filter=" + Uri.EscapeDataString("Status eq 'Running'")));

        using var badFilter = await e.GetAsync($"{registry}/runs?$filter=" + Uri.EscapeDataString("Colour eq 'blue'"), Version);
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        using var badTop = await e.GetAsync($"{registry}/runs?$top=0", Version);
        Assert.Equal(HttpStatusCode.BadRequest, badTop.StatusCode);
    }
}
