using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Provisioning.Host.Tests.Sandbox;

/// <summary>
/// Issue 16's scenario with a real process: the host (with its in-host emulator) is killed with SIGKILL while a run waits
/// for grant propagation, and started again on the same data folder. The emulator comes back with its state and its
/// port, the engine with its history: the run finishes, and the identity it created is the one that is there.
/// </summary>
public sealed class HostKillTests(ITestOutputHelper output) : IDisposable
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "provisioning-host-kill", Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort();

    [Fact]
    public async Task A_host_killed_while_its_run_waits_for_the_grant_finishes_the_run_after_a_restart()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(10) };
        string statusPath;
        using (var first = await StartHostAsync(http))
        {
            using var response = await http.PostAsync($"/api/provisioning/web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(StartBody));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            statusPath = new Uri((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["statusQueryGetUri"]!).PathAndQuery;
            await WaitAsync(async () => (string?)(await http.GetFromJsonAsync<JsonObject>(statusPath))!["customStatus"]?["phase"] == "WaitingForGrantPropagation", "the run to wait for the grant", first);
            first.Kill();
            output.WriteLine(first.Output);
        }

        using var second = await StartHostAsync(http);
        JsonObject? status = null;
        await WaitAsync(
            async () =>
            {
                using var response = await http.GetAsync(statusPath);
                status = await response.Content.ReadFromJsonAsync<JsonObject>();
                return response.StatusCode == HttpStatusCode.OK;
            },
            "the run to finish",
            second);

        Assert.Equal("Completed", (string?)status!["runtimeStatus"]);
        Assert.Equal("Succeeded", (string?)status["customStatus"]!["phase"]);
        Assert.DoesNotContain("FailedIdentityOperation", second.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<HostProcess> StartHostAsync(HttpClient http)
    {
        var host = HostProcess.Start(
        [
            Path.Combine(AppContext.BaseDirectory, "Provisioning.Host.dll"),
            "--urls", $"http://127.0.0.1:{_port}",
            "--Provisioning:DataDirectory", _data,
            "--Provisioning:TemplatesPath", LoopbackHost.TemplatesPath,
            "--Provisioning:Keys:SystemKey", LoopbackHost.SystemKey,
            "--Provisioning:Keys:FunctionKey", LoopbackHost.FunctionKey,
            "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:08",
            "--Provisioning:Sandbox:PrincipalReplicationDelay", "00:00:01",
            "--Provisioning:Sandbox:ProvisioningDuration", "00:00:00.1",
            "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
            "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
        ]);
        await WaitAsync(
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
            host);
        return host;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what, HostProcess host)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.False(host.HasExited, $"The host exited while waiting for {what}: {host.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}: {host.Output}");
            await Task.Delay(100);
        }
    }

    internal sealed class HostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private HostProcess(Process process) => _process = process;

        public bool HasExited => _process.HasExited;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static HostProcess Start(string[] arguments)
        {
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var host = new HostProcess(new Process { StartInfo = start });
            host._process.OutputDataReceived += (_, e) => host.Append(e.Data);
            host._process.ErrorDataReceived += (_, e) => host.Append(e.Data);
            host._process.Start();
            host._process.BeginOutputReadLine();
            host._process.BeginErrorReadLine();
            return host;
        }

        /// <summary>SIGKILL: no shutdown code runs, in the host or in its emulator.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
