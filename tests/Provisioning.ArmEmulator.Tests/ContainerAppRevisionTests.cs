using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests;

/// <summary>Container app revisions (<c>ContainerAppsRevisions_GetRevision</c>/<c>_ListRevisions</c>): one per PUT, with its state.</summary>
public sealed class ContainerAppRevisionTests
{
    private const string Api = "2025-01-01";

    [Fact]
    public async Task Each_put_starts_a_revision_named_by_its_suffix_that_provisions_then_runs_and_only_the_latest_is_active()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var environment = $"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/apps-env";
        using (var put = await e.PutAsync(environment, Api, """{"location":"westeurope","properties":{}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        e.Time.Advance(TimeSpan.FromSeconds(3));
        var app = $"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/web-app";
        using (var first = await e.PutAsync(app, Api, Body(environment, "one")))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            Assert.Null((await TestEmulator.JsonAsync(first))["emulatorRevisions"]);
        }

        var provisioning = await TestEmulator.JsonAsync(await e.GetAsync(app + "/revisions/web-app--one", Api));
        Assert.Equal("Provisioning", provisioning["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("Processing", provisioning["properties"]!["runningState"]!.GetValue<string>());
        e.Time.Advance(TimeSpan.FromSeconds(3));
        var running = await TestEmulator.JsonAsync(await e.GetAsync(app + "/revisions/web-app--one", Api));
        Assert.Equal("Provisioned", running["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("Running", running["properties"]!["runningState"]!.GetValue<string>());
        Assert.Equal("Microsoft.App/containerApps/revisions", running["type"]!.GetValue<string>());

        using (var second = await e.PutAsync(app, Api, Body(environment, "two")))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        e.Time.Advance(TimeSpan.FromSeconds(3));
        var list = (JsonArray)(await TestEmulator.JsonAsync(await e.GetAsync(app + "/revisions", Api)))["value"]!;
        Assert.Equal(["web-app--one", "web-app--two"], list.Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal([false, true], list.Select(r => r!["properties"]!["active"]!.GetValue<bool>()));
        var read = await TestEmulator.JsonAsync(await e.GetAsync(app, Api));
        Assert.Null(read["emulatorRevisions"]);
        Assert.Equal("web-app--two", read["properties"]!["latestReadyRevisionName"]!.GetValue<string>());

        using var missing = await e.GetAsync(app + "/revisions/web-app--three", Api);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var noApp = await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/nope/revisions", Api);
        Assert.Equal(HttpStatusCode.NotFound, noApp.StatusCode);
    }

    private static string Body(string environment, string suffix) => new JsonObject
    {
        ["location"] = "westeurope",
        ["properties"] = new JsonObject
        {
            ["managedEnvironmentId"] = environment,
            ["template"] = new JsonObject
            {
                ["revisionSuffix"] = suffix,
                ["containers"] = new JsonArray(new JsonObject { ["image"] = "mcr.microsoft.com/k8se/quickstart:latest", ["name"] = "web", ["resources"] = new JsonObject { ["cpu"] = 0.5, ["memory"] = "1Gi" } }),
            },
        },
    }.ToJsonString();
}
