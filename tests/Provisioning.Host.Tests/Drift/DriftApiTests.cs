using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Tests.Drift;

/// <summary>The drift and plan routes of the self-hosted host, against its sandbox.</summary>
public sealed class DriftApiTests(QuickSandboxFixture fixture) : IClassFixture<QuickSandboxFixture>
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    private readonly LoopbackHost _host = fixture.Host;

    [Fact]
    public async Task The_start_route_with_what_if_answers_the_plan_and_starts_nothing()
    {
        var sandbox = _host.Services.GetRequiredService<SandboxEnvironment>();
        var before = sandbox.Emulator.GetRequestLog().Count;
        var runsBefore = (await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances?top=1000")))!.Count;

        using var planned = await _host.Http.PostAsync($"/api/provisioning/web?whatIf=true&code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));

        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        var plan = (await planned.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("web", (string?)plan["template"]);
        Assert.Contains(plan["items"]!.AsArray(), item => (string?)item!["resource"] == "workload");
        Assert.All(sandbox.Emulator.GetRequestLog().Skip(before), entry => Assert.Equal("GET", entry.Method));
        Assert.Equal(runsBefore, (await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances?top=1000")))!.Count);
    }

    [Fact]
    public async Task Plan_then_provision_then_a_dry_run_drift_scan_finds_the_deleted_group_and_a_repairing_scan_restores_it()
    {
        var sandbox = _host.Services.GetRequiredService<SandboxEnvironment>();
        var before = sandbox.Emulator.GetRequestLog().Count;
        using (var planned = await _host.Http.PostAsync($"/api/plan/web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody)))
        {
            Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
            var plan = (await planned.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("web", (string?)plan["template"]);
            Assert.Contains(plan["items"]!.AsArray(), item => (string?)item!["resource"] == "workload" && (string?)item["action"] is "Create" or "NoChange" or "Update");
        }

        Assert.All(sandbox.Emulator.GetRequestLog().Skip(before), request => Assert.Equal("GET", request.Method));

        using (var started = await _host.Http.PostAsync($"/api/provisioning/web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody)))
        {
            var run = await _host.WaitForFinishAsync((string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["statusQueryGetUri"]!);
            Assert.Equal("Completed", (string?)run["runtimeStatus"]);
        }

        var groupId = $"/subscriptions/{sandbox.SubscriptionId}/resourceGroups/rg-sandbox/providers/Microsoft.ContainerInstance/containerGroups/web";
        using (var arm = sandbox.CreateHttpClient())
        using (var deleted = await arm.DeleteAsync($"{groupId}?api-version=2025-09-01"))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (sandbox.Emulator.GetInventory().Any(entry => entry.Id.Equals(groupId, StringComparison.OrdinalIgnoreCase)))
        {
            await Task.Delay(50, timeout.Token);
        }

        var dry = await ScanAsync("?dryRun=true&");
        Assert.True((bool)dry["dryRun"]!);
        var finding = Assert.Single(dry["findings"]!.AsArray(), f => (string?)f!["kind"] == "WorkloadDeleted");
        Assert.Equal(groupId, (string?)finding!["resourceId"]);
        Assert.Equal("DryRun", (string?)dry["repairs"]![0]!["status"]);

        var repaired = await ScanAsync("?");
        Assert.Equal("Completed", (string?)Assert.Single(repaired["repairs"]!.AsArray())!["status"]);
        Assert.Contains(sandbox.Emulator.GetInventory(), entry => entry.Id.Equals(groupId, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<JsonObject> ScanAsync(string query)
    {
        using var response = await _host.Http.PostAsync($"/api/drift{query}code={LoopbackHost.FunctionKey}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var last = (await _host.Http.GetFromJsonAsync<JsonObject>($"/api/drift/last?code={LoopbackHost.FunctionKey}", timeout.Token))!;
            if ((bool)last["finished"]!)
            {
                Assert.Equal("Completed", (string?)last["runtimeStatus"]);
                return last["report"]!.AsObject();
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
