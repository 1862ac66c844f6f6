using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Tests.Sandbox;

/// <summary>
/// The scenario of issue 16: a run waits for grant propagation, its host goes away, a new host starts on the same data
/// folder. The emulator inside the host kept its state (and its port), so the identity is still there and the run
/// finishes instead of failing with FailedIdentityOperation.
/// </summary>
public sealed class InHostEmulatorRestartTests
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    [Fact]
    public async Task A_run_waiting_for_the_grant_finishes_after_the_host_restarts_on_its_data()
    {
        var data = Path.Combine(Path.GetTempPath(), "provisioning-host-tests", Guid.NewGuid().ToString("N"));
        string[] settings =
        [
            "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:06",
            "--Provisioning:Sandbox:PrincipalReplicationDelay", "00:00:01",
            "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
            "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
        ];
        string statusPath;
        Uri emulator;
        var host = await LoopbackHost.StartAsync(data, settings);
        try
        {
            emulator = host.Services.GetRequiredService<SandboxEnvironment>().BaseUri;
            using var response = await host.Http.PostAsync($"/api/provisioning/web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));
            statusPath = new Uri((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["statusQueryGetUri"]!).PathAndQuery;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((string?)(await host.Http.GetFromJsonAsync<JsonObject>(statusPath, timeout.Token))!["customStatus"]?["phase"] != "WaitingForGrantPropagation")
            {
                await Task.Delay(50, timeout.Token);
            }
        }
        finally
        {
            await host.DisposeAsync();
        }

        var again = await LoopbackHost.StartAsync(data, settings);
        try
        {
            var sandbox = again.Services.GetRequiredService<SandboxEnvironment>();
            Assert.Equal(emulator, sandbox.BaseUri);
            var status = await again.WaitForFinishAsync(new Uri(again.BaseAddress, statusPath).ToString());

            Assert.Equal("Completed", (string?)status["runtimeStatus"]);
            Assert.Equal("Succeeded", (string?)status["customStatus"]!["phase"]);
            Assert.Single(sandbox.Emulator.GetInventory(), r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities");
            Assert.DoesNotContain(sandbox.Emulator.GetRequestLog(), r => r.ErrorCode == "FailedIdentityOperation");
        }
        finally
        {
            await again.DisposeAsync();
            again.DeleteData();
        }
    }
}
