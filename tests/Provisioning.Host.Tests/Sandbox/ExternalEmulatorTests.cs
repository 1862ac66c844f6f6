using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Tests.Sandbox;

/// <summary>
/// The host on an emulator running on its own (<c>Provisioning:Sandbox:EmulatorUrl</c> + certificate): "Azure" stays up
/// while the host goes away, and a new host on the same data folder finds the run and its resources.
/// </summary>
public sealed class ExternalEmulatorTests : IAsyncLifetime
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "provisioning-external-emulator", Guid.NewGuid().ToString("N"));
    private ArmEmulatorServer _emulator = null!;

    private string HostData => Path.Combine(_root, "host");

    public async Task InitializeAsync() => _emulator = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions
    {
        DataDirectory = Path.Combine(_root, "emulator"),
        PersistState = true,
        Faults = new FaultSettings
        {
            PrincipalReplicationDelay = TimeSpan.FromSeconds(1),
            GrantPropagationDelay = TimeSpan.FromSeconds(3),
            ProvisioningDuration = TimeSpan.FromMilliseconds(100),
        },
    });

    [Fact]
    public async Task A_run_provisioned_through_a_host_is_kept_by_the_external_emulator_and_a_new_host_on_the_same_data_sees_it_completed()
    {
        string statusUri;
        var host = await StartHostAsync();
        try
        {
            var sandbox = host.Services.GetRequiredService<SandboxEnvironment>();
            Assert.True(sandbox.IsExternal);
            Assert.Equal(_emulator.BaseUri, sandbox.BaseUri);
            Assert.Throws<InvalidOperationException>(() => sandbox.Emulator);

            using var response = await host.Http.PostAsync($"/api/provisioning/web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            statusUri = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["statusQueryGetUri"]!;
            var status = await host.WaitForFinishAsync(statusUri);
            Assert.Equal("Completed", (string?)status["runtimeStatus"]);
            Assert.Equal("Succeeded", (string?)status["customStatus"]!["phase"]);
        }
        finally
        {
            await host.DisposeAsync();
        }

        // The host is gone; "Azure" is not.
        var inventory = _emulator.GetInventory();
        Assert.Single(inventory, r => r.Type == "Microsoft.ContainerInstance/containerGroups" && r.Name == "web" && r.ProvisioningState == "Succeeded");
        Assert.Single(inventory, r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities" && r.Name == "web-puller");
        Assert.Single(inventory, r => r.Type == "Microsoft.Authorization/roleAssignments");

        var again = await StartHostAsync();
        try
        {
            var path = new Uri(statusUri).PathAndQuery;
            using var status = await again.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            var body = (await status.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal("Completed", (string?)body["runtimeStatus"]);
            Assert.EndsWith("/containerGroups/web", (string?)body["output"]!["workloadId"], StringComparison.Ordinal);

            // The second host found its seed in place: nothing was created or pushed twice.
            Assert.Single(_emulator.GetInventory(), r => r.Type == "Microsoft.ContainerInstance/containerGroups");
            Assert.Single(_emulator.GetEvents(), e => e.EventType == "Microsoft.ContainerRegistry.ImagePushed" && e.Subject.StartsWith("hello/web:", StringComparison.Ordinal));
            Assert.Single(_emulator.GetEvents(), e => e.EventType == "Microsoft.ContainerRegistry.ImagePushed" && e.Subject.StartsWith("base/runtime:", StringComparison.Ordinal));
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_run_waiting_for_the_grant_when_its_host_goes_away_finishes_on_the_next_host()
    {
        await _emulator.DisposeAsync();
        _emulator = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions
        {
            DataDirectory = Path.Combine(_root, "emulator"),
            PersistState = true,
            Faults = new FaultSettings { PrincipalReplicationDelay = TimeSpan.FromSeconds(1), GrantPropagationDelay = TimeSpan.FromSeconds(6), ProvisioningDuration = TimeSpan.FromMilliseconds(100) },
        });

        string statusUri;
        var host = await StartHostAsync();
        try
        {
            using var response = await host.Http.PostAsync($"/api/provisioning/web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));
            statusUri = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["statusQueryGetUri"]!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((string?)(await host.Http.GetFromJsonAsync<JsonObject>(statusUri, timeout.Token))!["customStatus"]?["phase"] != "WaitingForGrantPropagation")
            {
                await Task.Delay(50, timeout.Token);
            }
        }
        finally
        {
            await host.DisposeAsync();
        }

        var again = await StartHostAsync();
        try
        {
            var status = await again.WaitForFinishAsync(new Uri(again.BaseAddress, new Uri(statusUri).PathAndQuery).ToString());
            Assert.Equal("Completed", (string?)status["runtimeStatus"]);
            Assert.Equal("Succeeded", (string?)status["customStatus"]!["phase"]);
            Assert.Single(_emulator.GetInventory(), r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities" && r.Name == "web-puller");
        }
        finally
        {
            await again.DisposeAsync();
        }
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private Task<LoopbackHost> StartHostAsync() => LoopbackHost.StartAsync(
        HostData,
        "--Provisioning:Sandbox:EmulatorUrl", _emulator.BaseUri.ToString(),
        "--Provisioning:Sandbox:EmulatorCertificatePath", _emulator.CertificatePath,
        "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
        "--Provisioning:Timings:OperationPollInterval", "00:00:00.2");
}
