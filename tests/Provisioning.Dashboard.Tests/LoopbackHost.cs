using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Host;

namespace Provisioning.Dashboard.Tests;

/// <summary>The real host on an ephemeral loopback port, in sandbox mode (the emulator over HTTPS), with its own data folder and known keys.</summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    public const string SystemKey = "dashboard-system-key";
    public const string FunctionKey = "dashboard-function-key";

    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private LoopbackHost(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    public HttpClient Http { get; }

    public static string Repository { get; } = FindRepository();

    public static async Task<LoopbackHost> StartAsync(string[] settings, Action<WebApplicationBuilder>? configure = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "provisioning-dashboard-tests", Guid.NewGuid().ToString("N"));
        var app = await ProvisioningHostApplication.BuildAsync(
        [
            "--urls", "http://127.0.0.1:0",
            "--Provisioning:DataDirectory", data,
            "--Provisioning:TemplatesPath", Path.Combine(Repository, "templates"),
            "--Provisioning:RulesPath", Path.Combine(Repository, "rules.yaml"),
            "--Provisioning:Keys:SystemKey", SystemKey,
            "--Provisioning:Keys:FunctionKey", FunctionKey,
            "--Logging:LogLevel:Default", "Warning",
            "--Provisioning:Sandbox:ProvisioningDuration", "00:00:00.1",
            .. settings,
        ],
        configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackHost(app, data, new Uri(address));
    }

    /// <summary>Starts the web template into the sandbox from the API (function key) and returns the run's id.</summary>
    public async Task<string> StartWebAsync(string name)
    {
        using var body = new StringContent(
            $$$"""{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr","identityName":"{{{name}}}-id","groupName":"{{{name}}}","dnsLabel":"{{{name}}}-label"}}""",
            System.Text.Encoding.UTF8,
            "application/json");
        using var response = await Http.PostAsync($"/api/provisioning/web?code={FunctionKey}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, text);
        return System.Text.Json.Nodes.JsonNode.Parse(text)!["id"]!.GetValue<string>();
    }

    /// <summary>Waits until the run completes (system key, Durable HTTP API) and returns its output.</summary>
    public async Task<System.Text.Json.Nodes.JsonNode> WaitForCompletedAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            var status = System.Text.Json.Nodes.JsonNode.Parse(await Http.GetStringAsync(
                $"/runtime/webhooks/durabletask/instances/{Uri.EscapeDataString(instanceId)}?code={SystemKey}", timeout.Token))!;
            var runtimeStatus = (string?)status["runtimeStatus"];
            if (runtimeStatus is "Completed")
            {
                return status["output"]!;
            }

            Assert.True(runtimeStatus is "Pending" or "Running", $"run {instanceId} ended {runtimeStatus}: {status["output"]}");
            await Task.Delay(200, timeout.Token);
        }
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Functions.sln) is not above the test binaries.");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
