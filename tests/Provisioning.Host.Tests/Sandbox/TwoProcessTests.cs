using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Host.Tests.EventGrid;
using Xunit.Abstractions;
using static Provisioning.Host.Tests.EventGrid.SampleEvents;
using HostProcess = Provisioning.Host.Tests.Sandbox.HostKillTests.HostProcess;

namespace Provisioning.Host.Tests.Sandbox;

/// <summary>
/// Issue 16, section 3: two real host processes on one durable store, both on one external emulator. The same Event
/// Grid event delivered to both, at once and again after the run finished, starts one run; the store refuses the id
/// to the other process, and the run's work is done once.
/// </summary>
public sealed class TwoProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "provisioning-two-process", Guid.NewGuid().ToString("N"));
    private ArmEmulatorServer _emulator = null!;

    private string StorePath => Path.Combine(_root, "store", "provisioning.db");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StorePath)!);
        await File.WriteAllTextAsync(Path.Combine(_root, "rules.yaml"), EventGridHost.Rules);
        _emulator = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions
        {
            DataDirectory = Path.Combine(_root, "emulator"),
            PersistState = true,
            Faults = new FaultSettings
            {
                PrincipalReplicationDelay = TimeSpan.FromMilliseconds(200),
                GrantPropagationDelay = TimeSpan.FromMilliseconds(500),
                ProvisioningDuration = TimeSpan.FromMilliseconds(100),
            },
        });
    }

    [Fact]
    public async Task The_same_event_delivered_to_two_processes_on_one_store_starts_one_run_that_runs_once()
    {
        // Both at once, on a store file neither has created yet: only one may create its schema, and the other opens it.
        using var a = StartHost("a", out var httpA);
        using var b = StartHost("b", out var httpB);
        using (httpA)
        using (httpB)
        {
            await Task.WhenAll(WaitListeningAsync(httpA, a), WaitListeningAsync(httpB, b));

            var push = Array(ImagePushed("push-two-process", _emulator.SubscriptionId, tag: "1.0"));
            var outcomes = new List<JsonObject>();

            // Both processes at once, several deliveries each, while nothing exists yet.
            outcomes.AddRange(await DeliverAsync(push, httpA, httpB, each: 4));
            var started = outcomes.SelectMany(o => o["started"]!.AsArray()).Select(n => (string)n!).ToList();
            var instanceId = Assert.Single(started);

            // Again while the run goes on (or has just finished), and again once it has finished.
            outcomes.AddRange(await DeliverAsync(push, httpA, httpB, each: 2));
            var status = await WaitFinishedAsync(httpA, instanceId, a, b);
            outcomes.AddRange(await DeliverAsync(push, httpA, httpB, each: 3));

            output.WriteLine(string.Join(Environment.NewLine, outcomes.Select(o => o.ToJsonString())));
            Assert.Equal(1, outcomes.Sum(o => o["started"]!.AsArray().Count));
            Assert.Equal(outcomes.Count - 1, outcomes.Sum(o => o["duplicates"]!.AsArray().Count(d => (string?)d == instanceId)));

            // One instance in the shared store, seen the same from both processes, and it completed.
            Assert.Equal("Completed", (string?)status["runtimeStatus"]);
            foreach (var http in new[] { httpA, httpB })
            {
                var all = (await http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances")))!;
                Assert.Equal(instanceId, (string?)Assert.Single(all)!["instanceId"]);
            }

            // Each task of the run was scheduled and completed once.
            var history = status["historyEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();
            var scheduled = history.Where(e => (string?)e["EventType"] == "TaskScheduled").Select(e => (int)e["TaskScheduledId"]!).ToList();
            var completed = history.Where(e => (string?)e["EventType"] == "TaskCompleted").Select(e => (int)e["TaskScheduledId"]!).ToList();
            Assert.NotEmpty(scheduled);
            Assert.Equal(scheduled.Count, scheduled.Distinct().Count());
            Assert.Equal(scheduled.Order(), completed.Order());

            // "Azure" saw each of the run's deployment attempts once: as many container group PUTs (and DELETEs, when an
            // attempt is replaced) as the history scheduled, however many processes could have run them.
            var log = _emulator.GetRequestLog();
            output.WriteLine(string.Join(Environment.NewLine, log.Select(r => $"{r.Method} {r.Path} {r.Status}")));
            int Calls(string method) => log.Count(r => r.Method == method && r.Path.EndsWith("/containerGroups/web", StringComparison.OrdinalIgnoreCase));
            int Tasks(string name) => history.Count(e => (string?)e["EventType"] == "TaskScheduled" && (string?)e["Name"] == name);
            Assert.Equal(Tasks("BeginContainerGroupDeployment"), Calls("PUT"));
            Assert.Equal(Tasks("DeleteResource"), Calls("DELETE"));
            Assert.True(Calls("PUT") >= 1);
            Assert.Single(_emulator.GetInventory(), r => r.Type == "Microsoft.ContainerInstance/containerGroups" && r.Name == "web");
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

    /// <summary>Posts <paramref name="push"/> <paramref name="each"/> times to each host, all at once.</summary>
    private static async Task<JsonObject[]> DeliverAsync(string push, HttpClient a, HttpClient b, int each)
    {
        var posts = Enumerable.Range(0, each).SelectMany(_ => new[] { a, b }).Select(async http =>
        {
            using var response = await http.PostAsync(EventGridHost.Webhook(), LoopbackHost.Json(push));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await EventGridHost.ReadJsonAsync(response);
        });
        return await Task.WhenAll(posts);
    }

    private static async Task<JsonObject> WaitFinishedAsync(HttpClient http, string instanceId, HostProcess a, HostProcess b)
    {
        JsonObject? status = null;
        await WaitAsync(
            async () =>
            {
                using var response = await http.GetAsync(LoopbackHost.Webhook($"instances/{Uri.EscapeDataString(instanceId)}") + "&showHistory=true");
                status = await EventGridHost.ReadJsonAsync(response);
                return (string?)status["runtimeStatus"] is "Completed" or "Failed" or "Terminated";
            },
            "the run to finish",
            a,
            b,
            () => status?.ToJsonString() ?? string.Empty);
        return status!;
    }

    private static async Task WaitListeningAsync(HttpClient http, HostProcess host) => await WaitAsync(
        async () =>
        {
            try
            {
                using var response = await http.GetAsync($"/admin/host/status?code={LoopbackHost.SystemKey}");
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        },
        "the host to listen",
        host,
        host,
        () => string.Empty);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, HostProcess a, HostProcess b, Func<string> last)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!await condition())
        {
            Assert.False(a.HasExited, $"Host a exited while waiting for {what}: {a.Output}");
            Assert.False(b.HasExited, $"Host b exited while waiting for {what}: {b.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}: {last()}{Environment.NewLine}a: {a.Output}{Environment.NewLine}b: {b.Output}");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private HostProcess StartHost(string name, out HttpClient http)
    {
        var port = FreePort();
        http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        return HostProcess.Start(
        [
            Path.Combine(AppContext.BaseDirectory, "Provisioning.Host.dll"),
            "--urls", $"http://127.0.0.1:{port}",
            "--Provisioning:DataDirectory", Path.Combine(_root, name),
            "--AzureFunctionsJobHost:extensions:durableTask:storage:databasePath", StorePath,
            "--Provisioning:TemplatesPath", LoopbackHost.TemplatesPath,
            "--Provisioning:RulesPath", Path.Combine(_root, "rules.yaml"),
            "--Provisioning:Keys:SystemKey", LoopbackHost.SystemKey,
            "--Provisioning:Keys:FunctionKey", LoopbackHost.FunctionKey,
            "--Provisioning:Sandbox:EmulatorUrl", _emulator.BaseUri.ToString(),
            "--Provisioning:Sandbox:EmulatorCertificatePath", _emulator.CertificatePath,
            "--Provisioning:Sandbox:SubscribeEvents", "false",
            "--Provisioning:EventGrid:SettleDelay", "00:00:00",
            "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
            "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
            "--Logging:LogLevel:Default", "Warning",
        ]);
    }
}
