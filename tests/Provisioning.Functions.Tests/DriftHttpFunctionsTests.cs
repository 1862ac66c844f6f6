using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Drift;
using Provisioning.Durable.Embedded;
using Provisioning.Functions.Configuration;
using Provisioning.Functions.Http;
using Provisioning.Runs;

namespace Provisioning.Functions.Tests;

/// <summary><c>POST /api/drift[?dryRun=true]</c> and <c>GET /api/drift/last</c>, called as the worker calls them.</summary>
public sealed class DriftHttpFunctionsTests(HttpFunctionsFixture fixture) : IClassFixture<HttpFunctionsFixture>
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    private async Task<HttpExchange> ScanAsync(DurableTaskClient client, string query = "")
    {
        var exchange = HttpExchange.Create("POST", $"/api/drift?code=key{query}");
        return await exchange.AnswerAsync(await DriftHttpFunctions.ScanDrift(exchange.Request, client, fixture.Context, CancellationToken.None));
    }

    private static async Task<HttpExchange> LastAsync(DurableTaskClient client)
    {
        var exchange = HttpExchange.Create("GET", "/api/drift/last?code=key");
        return await exchange.AnswerAsync(await DriftHttpFunctions.GetLastDriftReport(exchange.Request, client, CancellationToken.None));
    }

    [Fact]
    public async Task Before_a_scan_the_last_report_is_404_a_scan_answers_202_and_a_second_while_it_is_going_409()
    {
        // The fixture's engine runs nothing: the drift run started here stays pending, so it is still going for the second call.
        var none = await LastAsync(fixture.Client);
        Assert.Equal(404, none.Status);
        Assert.Contains("No drift scan has run yet", (string?)none.Json["detail"], StringComparison.Ordinal);

        var bad = await ScanAsync(fixture.Client, "&dryRun=maybe");
        Assert.Equal(400, bad.Status);
        Assert.Null(await fixture.Client.GetInstanceAsync(DriftRepairNames.InstanceId));

        var first = await ScanAsync(fixture.Client, "&dryRun=true");
        Assert.Equal(202, first.Status);
        Assert.Equal(DriftRepairNames.InstanceId, (string?)first.Json["id"]);
        Assert.Equal($"http://localhost:7071/runtime/webhooks/durabletask/instances/{DriftRepairNames.InstanceId}", first.Headers.Location.ToString());
        var started = await fixture.Client.GetInstanceAsync(DriftRepairNames.InstanceId, getInputsAndOutputs: true);
        Assert.True(started!.ReadInputAs<DriftRequest>()!.DryRun);

        var second = await ScanAsync(fixture.Client);
        Assert.Equal(409, second.Status);
        Assert.Contains("/api/drift/last", (string?)second.Json["detail"], StringComparison.Ordinal);

        var pending = await LastAsync(fixture.Client);
        Assert.Equal(200, pending.Status);
        Assert.Equal((DriftRepairNames.InstanceId, "Pending", false), ((string?)pending.Json["instanceId"], (string?)pending.Json["runtimeStatus"], (bool)pending.Json["finished"]!));
    }

    [Fact]
    public async Task A_dry_run_scan_finds_a_deleted_group_and_the_last_report_returns_it()
    {
        await using var arm = await ArmSandbox.StartAsync();
        await using var services = await FunctionsServices.BuildAsync(arm);
        var starters = services.GetRequiredService<RunStarters>();
        await using var engine = await EmbeddedEngineHost.StartAsync(
            registry => registry.AddProvisioning().AddDrift(),
            configureOptions: options => options.DataConverter = RunDataConverter.Instance,
            configureServices: engineServices => engineServices.AddSingleton(arm.ArmClient).AddSingleton(starters.Catalog));
        var provisioning = ActivatorUtilities.CreateInstance<ProvisioningHttpFunctions>(services);
        var start = HttpExchange.Create("POST", "/api/provisioning/web?code=key", StartBody);
        await start.AnswerAsync(await provisioning.StartProvisioning(start.Request, engine.Client, fixture.Context, "web", null, CancellationToken.None));
        Assert.Equal(202, start.Status);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var run = await engine.Client.WaitForInstanceCompletionAsync((string)start.Json["id"]!, timeout.Token);
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        var groupId = $"/subscriptions/{arm.SubscriptionId}/resourceGroups/{ArmSandbox.ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/web";
        await arm.ArmClient.ContainerGroups.BeginDeleteAsync(Arm.Resources.ArmResourceId.Parse(groupId), timeout.Token);
        while (arm.Emulator.GetInventory().Any(entry => entry.Id.Equals(groupId, StringComparison.OrdinalIgnoreCase)))
        {
            await Task.Delay(50, timeout.Token);
        }

        Assert.Equal(202, (await ScanAsync(engine.Client, "&dryRun=true")).Status);
        await engine.Client.WaitForInstanceCompletionAsync(DriftRepairNames.InstanceId, timeout.Token);
        var last = await LastAsync(engine.Client);

        Assert.Equal(200, last.Status);
        Assert.Equal(("Completed", true), ((string?)last.Json["runtimeStatus"], (bool)last.Json["finished"]!));
        var report = last.Json["report"]!;
        Assert.True((bool)report["dryRun"]!);
        var finding = Assert.Single(report["findings"]!.AsArray())!;
        Assert.Equal(("WorkloadDeleted", groupId), ((string?)finding["kind"], (string?)finding["resourceId"]));
        Assert.Equal("DryRun", (string?)Assert.Single(report["repairs"]!.AsArray())!["status"]);
        Assert.Contains(arm.Emulator.GetInventory(), entry => entry.Id.EndsWith("/userAssignedIdentities/web-puller", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(arm.Emulator.GetInventory(), entry => entry.Id.Equals(groupId, StringComparison.OrdinalIgnoreCase));
    }
}
