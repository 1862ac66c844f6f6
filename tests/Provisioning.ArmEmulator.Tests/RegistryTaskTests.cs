using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests;

public sealed class RegistryTaskTests
{
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    private static string Encoded(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Task_run_goes_Queued_Running_Succeeded_and_pushes_its_image()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("myResourceGroup");
        var registry = (await e.CreateRegistryAsync("myResourceGroup", "myRegistry"))["id"]!.GetValue<string>();
        e.Server.PushImage("myRegistry", "base", "1");
        // From TasksCreate.json (trimmed): platform, agentConfiguration, Docker step, system identity.
        using var task = await e.PutAsync($"{registry}/tasks/mytTask", "2025-03-01-preview", """
            {"location":"westeurope","identity":{"type":"SystemAssigned"},
             "properties":{"status":"Enabled","platform":{"os":"Linux","architecture":"amd64"},"agentConfiguration":{"cpu":2},
               "step":{"type":"Docker","imageNames":["myimage:{{.Run.ID}}"],"dockerFilePath":"src/DockerFile","contextPath":"src",
                 "isPushEnabled":true,"noCache":false,"arguments":[{"name":"BASE_IMAGE","value":"myregistry.azurecr.io/base:1","isSecret":false}]}}}
            """);
        Assert.Equal(HttpStatusCode.Created, task.StatusCode);
        var taskBody = await TestEmulator.JsonAsync(task);
        Assert.Equal("Succeeded", taskBody["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.NotNull(taskBody["identity"]!["principalId"]);

        using var schedule = await e.PostAsync($"{registry}/scheduleRun", "2025-03-01-preview", $$$$$"""{"type":"TaskRunRequest","taskId":"{{{{{taskBody["id"]}}}}}"}""");
        Assert.Equal(HttpStatusCode.OK, schedule.StatusCode);
        var run = await TestEmulator.JsonAsync(schedule);
        var runId = run["properties"]!["runId"]!.GetValue<string>();
        Assert.Equal("Queued", run["properties"]!["status"]!.GetValue<string>());

        e.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("Running", (await TestEmulator.JsonAsync(await e.GetAsync($"{registry}/runs/{runId}", "2025-03-01-preview")))["properties"]!["status"]!.GetValue<string>());
        e.Time.Advance(TimeSpan.FromSeconds(1));
        var done = await TestEmulator.JsonAsync(await e.GetAsync($"{registry}/runs/{runId}", "2025-03-01-preview"));
        Assert.Equal("Succeeded", done["properties"]!["status"]!.GetValue<string>());
        Assert.Equal($"myimage", done["properties"]!["outputImages"]![0]!["repository"]!.GetValue<string>());
        Assert.Contains(e.Server.GetEvents(), ev => ev.EventType == "Microsoft.ContainerRegistry.ImagePushed" && ev.Subject == $"myimage:{runId}");

        var runs = await TestEmulator.JsonAsync(await e.GetAsync($"{registry}/runs", "2025-03-01-preview"));
        Assert.Single(runs["value"]!.AsArray());
    }

    [Fact]
    public async Task Base_image_from_another_registry_needs_a_granted_custom_registry_identity()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var build = (await e.CreateRegistryAsync("rg", "buildacr"))["id"]!.GetValue<string>();
        var bases = (await e.CreateRegistryAsync("rg", "baseacr"))["id"]!.GetValue<string>();
        e.Server.PushImage("baseacr", "runtime", "8");
        var identity = await e.CreateIdentityAsync("rg", "task-id");
        var clientId = identity["properties"]!["clientId"]!.GetValue<string>();
        var content = Encoded("version: v1.1.0\nsteps:\n  - cmd: baseacr.azurecr.io/runtime:8 echo hello\n");
        var taskJson = $$$$$"""
            {"location":"westeurope","identity":{"type":"UserAssigned","userAssignedIdentities":{"{{{{{identity["id"]}}}}}":{}}},
             "properties":{"platform":{"os":"Linux"},"step":{"type":"EncodedTask","encodedTaskContent":"{{{{{content}}}}}"},
               "credentials":{"customRegistries":{"baseacr.azurecr.io":{"identity":"{{{{{clientId}}}}}" } } } } }
            """;
        using var task = await e.PutAsync($"{build}/tasks/pull-task", "2025-03-01-preview", taskJson);
        Assert.Equal(HttpStatusCode.Created, task.StatusCode);
        var taskId = (await TestEmulator.JsonAsync(task))["id"]!.GetValue<string>();

        async Task<JsonObject> RunAsync()
        {
            using var schedule = await e.PostAsync($"{build}/scheduleRun", "2025-03-01-preview", $$$$$"""{"type":"TaskRunRequest","taskId":"{{{{{taskId}}}}}"}""");
            var runId = (await TestEmulator.JsonAsync(schedule))["name"]!.GetValue<string>();
            e.Time.Advance(TimeSpan.FromSeconds(2));
            return await TestEmulator.JsonAsync(await e.GetAsync($"{build}/runs/{runId}", "2025-03-01-preview"));
        }

        var refused = await RunAsync();
        Assert.Equal("Failed", refused["properties"]!["status"]!.GetValue<string>());
        Assert.Equal("failed during run, err: exit status 1", refused["properties"]!["runErrorMessage"]!.GetValue<string>());

        await e.GrantAsync(bases, identity["properties"]!["principalId"]!.GetValue<string>(), AcrPull);
        Assert.Equal("Failed", (await RunAsync())["properties"]!["status"]!.GetValue<string>());
        e.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("Succeeded", (await RunAsync())["properties"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Runs_can_be_canceled_and_bad_requests_are_rejected()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var registry = (await e.CreateRegistryAsync("rg", "cancelacr"))["id"]!.GetValue<string>();
        using var schedule = await e.PostAsync($"{registry}/scheduleRun", "2025-03-01-preview", $$$$$"""{"type":"EncodedTaskRunRequest","encodedTaskContent":"{{{{{Encoded("steps:\n  - cmd: mcr.microsoft.com/hello-world\n")}}}}}","platform":{"os":"Linux"}}""");
        var runId = (await TestEmulator.JsonAsync(schedule))["name"]!.GetValue<string>();
        using var cancel = await e.PostAsync($"{registry}/runs/{runId}/cancel", "2025-03-01-preview");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        e.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("Canceled", (await TestEmulator.JsonAsync(await e.GetAsync($"{registry}/runs/{runId}", "2025-03-01-preview")))["properties"]!["status"]!.GetValue<string>());

        using var badType = await e.PostAsync($"{registry}/scheduleRun", "2025-03-01-preview", """{"type":"MagicRequest"}""");
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Equal("type", (await TestEmulator.JsonAsync(badType))["error"]!["target"]!.GetValue<string>());

        using var badStep = await e.PutAsync($"{registry}/tasks/badtask", "2025-03-01-preview", """{"location":"westeurope","properties":{"platform":{"os":"Linux"},"step":{"type":"Magic"}}}""");
        Assert.Equal("properties.step.type", (await TestEmulator.JsonAsync(badStep))["error"]!["target"]!.GetValue<string>());

        using var noRegistry = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/nothere/tasks/sometask", "2025-03-01-preview", """{"location":"westeurope","properties":{"platform":{"os":"Linux"}}}""");
        Assert.Equal(HttpStatusCode.NotFound, noRegistry.StatusCode);
    }

    [Fact]
    public async Task ScheduleRun_takes_each_versions_own_TaskRunRequest_shape()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var registry = (await e.CreateRegistryAsync("rg", "shapeacr"))["id"]!.GetValue<string>();
        using var task = await e.PutAsync($"{registry}/tasks/hello", "2019-04-01", $$$$"""
            {"location":"westeurope","properties":{"platform":{"os":"Linux"},"step":{"type":"EncodedTask","encodedTaskContent":"{{{{Encoded("steps:\n  - cmd: mcr.microsoft.com/hello-world\n")}}}}"}}}
            """);
        Assert.Equal(HttpStatusCode.Created, task.StatusCode);
        var taskId = (await TestEmulator.JsonAsync(task))["id"]!.GetValue<string>();

        // 2018-09-01 and 2019-04-01 name the task (taskName); 2019-06-01-preview replaced it with its id (taskId).
        foreach (var version in new[] { "2018-09-01", "2019-04-01" })
        {
            using var byName = await e.PostAsync($"{registry}/scheduleRun", version, """{"type":"TaskRunRequest","taskName":"hello"}""");
            Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
            var run = await TestEmulator.JsonAsync(byName);
            Assert.Equal("hello", run["properties"]!["task"]!.GetValue<string>());
            using var read = await e.GetAsync($"{registry}/runs/{run["name"]}", version);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);

            using var byId = await e.PostAsync($"{registry}/scheduleRun", version, $$"""{"type":"TaskRunRequest","taskId":"{{taskId}}"}""");
            Assert.Equal(HttpStatusCode.BadRequest, byId.StatusCode);
            Assert.Equal("taskId", (await TestEmulator.JsonAsync(byId))["error"]!["target"]!.GetValue<string>());
        }

        using var missingTask = await e.PostAsync($"{registry}/scheduleRun", "2019-04-01", """{"type":"TaskRunRequest","taskName":"nope"}""");
        Assert.Equal(HttpStatusCode.NotFound, missingTask.StatusCode);
        Assert.Equal("ResourceNotFound", await TestEmulator.ErrorCodeAsync(missingTask));

        using var byIdPreview = await e.PostAsync($"{registry}/scheduleRun", "2019-06-01-preview", $$"""{"type":"TaskRunRequest","taskId":"{{taskId}}"}""");
        Assert.Equal(HttpStatusCode.OK, byIdPreview.StatusCode);
        using var byNamePreview = await e.PostAsync($"{registry}/scheduleRun", "2019-06-01-preview", """{"type":"TaskRunRequest","taskName":"hello"}""");
        Assert.Equal("taskName", (await TestEmulator.JsonAsync(byNamePreview))["error"]!["target"]!.GetValue<string>());

        // scheduleRun is served on the Tasks versions only: 2021-09-01 is a registry version, not a Tasks one.
        using var registryOnly = await e.PostAsync($"{registry}/scheduleRun", "2021-09-01", $$"""{"type":"TaskRunRequest","taskId":"{{taskId}}"}""");
        Assert.Equal("NoRegisteredProviderFound", await TestEmulator.ErrorCodeAsync(registryOnly));
        using var registryRead = await e.GetAsync(registry, "2021-09-01");
        Assert.Equal(HttpStatusCode.OK, registryRead.StatusCode);
    }
}
