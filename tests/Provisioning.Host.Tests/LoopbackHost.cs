using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Provisioning.Host.Tests;

/// <summary>The real host on an ephemeral loopback port, with its own data folder and known keys.</summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    public const string SystemKey = "test-system-key";
    public const string FunctionKey = "test-function-key";

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

    /// <summary>The repository's own templates folder, so tests provision what users get.</summary>
    public static string TemplatesPath { get; } = Path.Combine(FindRepository(), "templates");

    /// <summary>The repository's own rules file, which the sandbox's event subscription drives.</summary>
    public static string RulesPath { get; } = Path.Combine(FindRepository(), "rules.yaml");

    public static async Task<LoopbackHost> StartAsync(string? dataDirectory = null, params string[] settings)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "provisioning-host-tests", Guid.NewGuid().ToString("N"));
        var app = await ProvisioningHostApplication.BuildAsync(
        [
            "--urls", "http://127.0.0.1:0",
            "--Provisioning:DataDirectory", data,
            "--Provisioning:TemplatesPath", TemplatesPath,
            "--Provisioning:Keys:SystemKey", SystemKey,
            "--Provisioning:Keys:FunctionKey", FunctionKey,
            "--Logging:LogLevel:Default", "Warning",
            "--Provisioning:Sandbox:ProvisioningDuration", "00:00:00.1",
            .. settings,
        ]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackHost(app, data, new Uri(address));
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

    public static string Webhook(string path, string? key = SystemKey)
        => $"/runtime/webhooks/durabletask/{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{(key is null ? string.Empty : $"code={key}")}";

    public async Task<JsonObject> StartAsync(string orchestrator, object? input, string? instanceId = null)
    {
        using var response = await Http.PostAsJsonAsync(Webhook($"orchestrators/{orchestrator}{(instanceId is null ? string.Empty : "/" + instanceId)}"), input);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Polls the status URL as a Durable client would, until the instance has finished.</summary>
    public async Task<JsonObject> WaitForFinishAsync(string statusQueryGetUri)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await Http.GetAsync(new Uri(statusQueryGetUri), timeout.Token);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token))!;
            if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
            {
                return body;
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    public static StringContent Json(string json)
    {
        var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public void DeleteData()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}
