using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.ArmEmulator;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Tests.EventGrid;

/// <summary>
/// The real host on an ephemeral loopback port with the sandbox (the ARM emulator in-process), the repository's
/// templates, a rules file of the test's own and known keys; restartable on the same data directory.
/// </summary>
internal sealed class EventGridHost : IAsyncDisposable
{
    public const string Function = "ProvisioningEvents";

    /// <summary>Rules the tests use: pushes of sandboxacr/hello/web redeploy 'web' into rg-sandbox; tagged groups get their template; deleted groups are forgotten.</summary>
    public const string Rules = """
        rules:
          - name: redeploy-web
            on: ImagePushed
            registry: sandboxacr
            repository: hello/web
            template: web
            resourceGroup: rg-sandbox
            parameters:
              registryName: sandboxacr
          - name: tagged-groups
            on: ResourceGroupWritten
            parameters:
              registryName: sandboxacr
              registryResourceGroup: rg-sandbox
              image: sandboxacr.azurecr.io/hello/web:1.0
          - name: forget-deleted-groups
            on: ResourceGroupDeleted
        """;

    private readonly WebApplication _app;

    private EventGridHost(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public DurableTaskClient Client => _app.Services.GetRequiredService<DurableTaskClient>();

    public ArmEmulatorServer Emulator => _app.Services.GetRequiredService<SandboxEnvironment>().Emulator;

    public string SubscriptionId => Emulator.SubscriptionId;

    /// <summary>The webhook URL (relative) with a function name and a key.</summary>
    public static string Webhook(string? key = LoopbackHost.SystemKey, string? function = Function)
    {
        var query = new List<string>();
        if (function is not null)
        {
            query.Add($"functionName={Uri.EscapeDataString(function)}");
        }

        if (key is not null)
        {
            query.Add($"code={Uri.EscapeDataString(key)}");
        }

        return "/runtime/webhooks/eventgrid" + (query.Count == 0 ? string.Empty : "?" + string.Join('&', query));
    }

    /// <param name="dataDirectory">The host's data directory; a new one when null.</param>
    /// <param name="rules">The rules file's text.</param>
    /// <param name="settleDelay">How long event-started runs wait before they start; zero keeps the tests fast.</param>
    /// <param name="settings">More settings, as <c>--key value</c> pairs.</param>
    public static async Task<EventGridHost> StartAsync(string? dataDirectory = null, string rules = Rules, string settleDelay = "00:00:00", params string[] settings)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "provisioning-eventgrid-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var rulesPath = Path.Combine(data, "rules.yaml");
        await File.WriteAllTextAsync(rulesPath, rules);
        var app = await ProvisioningHostApplication.BuildAsync(
            [
                "--urls", "http://127.0.0.1:0",
                "--Provisioning:DataDirectory", data,
                "--Provisioning:TemplatesPath", LoopbackHost.TemplatesPath,
                "--Provisioning:RulesPath", rulesPath,
                "--Provisioning:Keys:SystemKey", LoopbackHost.SystemKey,
                "--Provisioning:Keys:FunctionKey", LoopbackHost.FunctionKey,
                "--Provisioning:Sandbox:ProvisioningDuration", "00:00:00.1",
                "--Provisioning:EventGrid:SettleDelay", settleDelay,
                "--Provisioning:Timings:LaneCheckInterval", "00:00:00.2",

                // These tests make their own subscriptions, with the schema and filters each needs.
                "--Provisioning:Sandbox:SubscribeEvents", "false",
                "--Logging:LogLevel:Default", "Warning",
                .. settings,
            ],
            builder => builder.Services.AddEventGridTriggers(builder.Configuration));

        // Until the host maps the webhook itself, the tests do (the registration above is idempotent).
        if (!((IEndpointRouteBuilder)app).DataSources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
                .Any(e => e.RoutePattern.RawText?.TrimStart('/') == "runtime/webhooks/eventgrid"))
        {
            app.MapEventGridWebhook();
        }

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EventGridHost(app, data, new Uri(address));
    }

    public async Task<HttpResponseMessage> PostAsync(string body, string? contentType = "application/json", string? url = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url ?? Webhook()) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Every instance whose id starts with <paramref name="prefix"/> (all of them for an empty prefix).</summary>
    public async Task<IReadOnlyList<OrchestrationMetadata>> InstancesAsync(string prefix = "")
    {
        var all = new List<OrchestrationMetadata>();
        await foreach (var instance in Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix.Length == 0 ? null : prefix, FetchInputsAndOutputs = true }))
        {
            all.Add(instance);
        }

        return all;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 50 ms), failing after 30 s.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }
        }
    }

    /// <summary>An ARM request to the sandbox emulator, as a user with az would send it.</summary>
    public async Task<HttpResponseMessage> ArmAsync(HttpMethod method, string path, string? json = null)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(Emulator.Certificate.RawData));
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } }) { BaseAddress = Emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Emulator.DevelopmentToken);
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public void DeleteData()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
