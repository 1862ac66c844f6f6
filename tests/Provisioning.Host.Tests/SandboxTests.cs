using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Tests;

public sealed class SandboxTests(QuickSandboxFixture fixture) : IClassFixture<QuickSandboxFixture>
{
    private readonly LoopbackHost _host = fixture.Host;

    [Fact]
    public async Task A_push_to_the_sandbox_registry_reaches_the_host_through_its_own_subscription_and_redeploys_the_template()
    {
        var sandbox = _host.Services.GetRequiredService<SandboxEnvironment>();
        await WaitUntilAsync(() => Task.FromResult(sandbox.Emulator.EventSubscriptions.Get("provisioning-host")?.ProvisioningState == "Succeeded"));

        sandbox.Emulator.PushImage(sandbox.Settings.Registry, "hello/web", "2.0");

        JsonNode? run = null;
        await WaitUntilAsync(async () =>
        {
            var runs = await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances?showInput=true&top=1000"));
            run = runs!.FirstOrDefault(r => ((string?)r!["instanceId"])!.Contains(":rg-sandbox:web:", StringComparison.Ordinal) && r["runtimeStatus"]!.GetValue<string>() == "Completed");
            return run is not null;
        });

        Assert.Equal("sandboxacr.azurecr.io/hello/web:2.0", (string?)run!["input"]!["template"]!["workload"]!["body"]!["properties"]!["containers"]![0]!["properties"]!["image"]);
        var status = await _host.Http.GetFromJsonAsync<JsonObject>(LoopbackHost.Webhook($"instances/{Uri.EscapeDataString((string)run["instanceId"]!)}"));
        Assert.Equal("Succeeded", (string?)status!["customStatus"]!["phase"]);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
