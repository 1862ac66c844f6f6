using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Tests.Secrets;

/// <summary>
/// A run whose container gets a <c>secureValue</c> from a <c>securestring</c> parameter, on the real host and its
/// sandbox: the secret reaches "Azure" (the emulator stores the plaintext it received), and its plaintext is nowhere
/// in the engine's SQLite store (database, WAL, everything in the data folder but the emulator's own state), in the
/// status API's answers, or in anything logged (the host's loggers at Debug, Azure.Core's events at Verbose).
/// </summary>
public sealed class SecretsAtRestTests
{
    // Letters, digits and dashes only, so JSON escaping cannot hide it from a byte search.
    private const string Secret = "pl41n-S3cret-5f0c2a9e-never-at-rest";

    private const string Template = """
        name: secret-web
        parameters:
          image: { type: string }
          registryName: { type: string }
          apiKey: { type: securestring }
        identity:
          name: secret-web-puller
        grants:
          - role: AcrPull
            scope: "[resourceId('Microsoft.ContainerRegistry/registries', parameters('registryName'))]"
        workload:
          name: secret-web
          location: "[resourceGroup().location]"
          properties:
            containers:
              - name: web
                properties:
                  image: "[parameters('image')]"
                  environmentVariables:
                    - name: MODE
                      value: production
                    - name: API_KEY
                      secureValue: "[parameters('apiKey')]"
                  resources: { requests: { cpu: 1, memoryInGB: 1.5 } }
            imageRegistryCredentials:
              - server: "[concat(parameters('registryName'), '.azurecr.io')]"
                identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'secret-web-puller')]"
            osType: Linux
        """;

    [Fact]
    public async Task A_securestring_reaches_the_container_and_is_never_stored_or_logged_in_plaintext()
    {
        var root = Path.Combine(Path.GetTempPath(), "provisioning-secrets-at-rest", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(root, "data");
        var templates = Path.Combine(root, "templates");
        Directory.CreateDirectory(templates);
        await File.WriteAllTextAsync(Path.Combine(templates, "secret-web.yaml"), Template);
        var logs = new CapturingLoggerProvider();
        var azureCore = new ConcurrentQueue<string>();
        using var listener = new AzureEventSourceListener((args, message) => azureCore.Enqueue(message + " " + string.Join(' ', args.Payload ?? [])), EventLevel.Verbose);
        var app = await StartHostAsync(data, templates, logs);
        try
        {
            using var http = HttpFor(app);
            var sandbox = app.Services.GetRequiredService<SandboxEnvironment>();
            var statusUri = await StartRunAsync(http, sandbox);
            var status = await WaitForFinishAsync(http, statusUri);
            Assert.True("Completed" == (string?)status["runtimeStatus"], status.ToJsonString());

            // "Azure" got the plaintext: the emulator keeps the body it accepted in its saved state.
            Assert.Contains(Secret, ReadAll(sandbox.Emulator.StateDirectory!, exclude: null), StringComparison.Ordinal);

            // The status API, history and inputs included, shows the secret only protected.
            var full = await http.GetStringAsync($"{statusUri}&showHistory=true&showHistoryOutput=true&showInput=true");
            Assert.DoesNotContain(Secret, full, StringComparison.Ordinal);

            // The store: the run's secret went through it, protected, never in plaintext (database and WAL read live).
            var emulatorFolder = Path.Combine(data, "emulator");
            var store = ReadAll(data, exclude: emulatorFolder);
            Assert.Contains("protected:v1:", store, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, store, StringComparison.Ordinal);

            await app.StopAsync();
            // After the stop the WAL is checkpointed into the database: read it again.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Assert.DoesNotContain(Secret, ReadAll(data, exclude: emulatorFolder), StringComparison.Ordinal);

            Assert.NotEmpty(logs.Messages);
            Assert.Contains(logs.Messages, message => message.Contains("secret-web", StringComparison.Ordinal));
            Assert.DoesNotContain(logs.Messages, message => message.Contains(Secret, StringComparison.Ordinal));
            Assert.NotEmpty(azureCore);
            Assert.DoesNotContain(azureCore, message => message.Contains(Secret, StringComparison.Ordinal));
        }
        finally
        {
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_run_whose_key_ring_was_lost_fails_with_a_clear_error_instead_of_deploying_a_token()
    {
        var root = Path.Combine(Path.GetTempPath(), "provisioning-secrets-at-rest", Guid.NewGuid().ToString("N"));
        var data = Path.Combine(root, "data");
        var templates = Path.Combine(root, "templates");
        Directory.CreateDirectory(templates);
        await File.WriteAllTextAsync(Path.Combine(templates, "secret-web.yaml"), Template);
        // The grant takes a while to become effective: the first deployment is refused and the run waits to deploy again.
        string[] slowGrant = ["--Provisioning:Sandbox:GrantPropagationDelay", "00:00:08", "--Provisioning:Timings:ReadinessFirstInterval", "00:00:05"];
        var first = await StartHostAsync(data, templates, new CapturingLoggerProvider(), slowGrant);
        string statusPath;
        try
        {
            using var http = HttpFor(first);
            var sandbox = first.Services.GetRequiredService<SandboxEnvironment>();
            statusPath = new Uri(await StartRunAsync(http, sandbox)).PathAndQuery;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!sandbox.Emulator.GetRequestLog().Any(entry => entry.Method == "PUT" && entry.Path.Contains("/containerGroups/secret-web", StringComparison.OrdinalIgnoreCase)))
            {
                Assert.True(DateTime.UtcNow < deadline, "The run never deployed.");
                await Task.Delay(100);
            }

            // The refused group is restarted in place on the next attempt, which sends no body; so the group is deleted
            // during the wait, and the next attempt must send the body (and decrypt its secret) again.
            while ((string?)(await http.GetFromJsonAsync<JsonObject>(statusPath))?["customStatus"]?["phase"] != "WaitingForGrantPropagation")
            {
                Assert.True(DateTime.UtcNow < deadline, "The run never waited for the grant.");
                await Task.Delay(50);
            }

            using var arm = sandbox.CreateHttpClient();
            using var deleted = await arm.DeleteAsync(new Uri(
                $"/subscriptions/{sandbox.SubscriptionId}/resourceGroups/rg-sandbox/providers/Microsoft.ContainerInstance/containerGroups/secret-web?api-version=2025-09-01", UriKind.Relative));
            Assert.True(deleted.IsSuccessStatusCode, $"DELETE answered {(int)deleted.StatusCode}");
            await first.StopAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        // The key ring is lost between two deployments of the run.
        Directory.Delete(Path.Combine(data, "dataprotection-keys"), recursive: true);
        var second = await StartHostAsync(data, templates, new CapturingLoggerProvider(), slowGrant);
        try
        {
            using var http = HttpFor(second);
            var status = await WaitForFinishAsync(http, new Uri(http.BaseAddress!, statusPath).ToString());

            Assert.True("Failed" == (string?)status["runtimeStatus"], status.ToJsonString());
            // The failure names the problem (in the status' message and output, wherever the run reports it).
            Assert.Contains(Strings(status), text => text.Contains("cannot be decrypted with this host's Data Protection key ring", StringComparison.Ordinal));
            Assert.DoesNotContain(Secret, status.ToJsonString(), StringComparison.Ordinal);
            await second.StopAsync();
        }
        finally
        {
            await second.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<WebApplication> StartHostAsync(string data, string templates, CapturingLoggerProvider logs, params string[] settings)
    {
        var app = await ProvisioningHostApplication.BuildAsync(
            [
                "--urls", "http://127.0.0.1:0",
                "--Provisioning:DataDirectory", data,
                "--Provisioning:TemplatesPath", templates,
                "--Provisioning:Keys:SystemKey", LoopbackHost.SystemKey,
                "--Provisioning:Keys:FunctionKey", LoopbackHost.FunctionKey,
                "--Logging:LogLevel:Default", "Debug",
                "--Provisioning:Sandbox:ProvisioningDuration", "00:00:00.1",
                "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:01",
                "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
                "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
                .. settings,
            ],
            builder => builder.Logging.AddProvider(logs));
        await app.StartAsync();
        return app;
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(property => Strings(property.Value)),
        JsonArray array => array.SelectMany(Strings),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        _ => [],
    };

    private static HttpClient HttpFor(WebApplication app) =>
        new() { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

    // Starts a run of the test template with the secret; returns its status URL.
    private static async Task<string> StartRunAsync(HttpClient http, SandboxEnvironment sandbox)
    {
        var body = new JsonObject
        {
            ["resourceGroup"] = sandbox.Settings.ResourceGroup,
            ["parameters"] = new JsonObject { ["image"] = sandbox.ImageReference, ["registryName"] = sandbox.Settings.Registry, ["apiKey"] = Secret },
        }.ToJsonString();
        using var started = await http.PostAsync($"/api/provisioning/secret-web?code={LoopbackHost.FunctionKey}", LoopbackHost.Json(body));
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return (string)(await started.Content.ReadFromJsonAsync<JsonObject>())!["statusQueryGetUri"]!;
    }

    private static async Task<JsonObject> WaitForFinishAsync(HttpClient http, string statusUri)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            using var response = await http.GetAsync(new Uri(statusUri), timeout.Token);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token))!;
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return body;
            }
            await Task.Delay(100, timeout.Token);
        }
    }

    // Every file's bytes as UTF-8 text, read while others may have them open (SQLite's database, -wal and -shm).
    private static string ReadAll(string folder, string? exclude)
    {
        var text = new StringBuilder();
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (exclude is not null && path.StartsWith(exclude + Path.DirectorySeparatorChar, StringComparison.Ordinal) || path.EndsWith("lock", StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text.Append(path).Append('\n').Append(reader.ReadToEnd()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Every log entry of the host, formatted, with its structured values and exception.</summary>
    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Messages);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull
            {
                messages.Enqueue($"{category} scope: {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(pair => $"{pair.Key}={pair.Value}")) : string.Empty;
                messages.Enqueue($"{category} {logLevel} {formatter(state, exception)} [{values}] {exception}");
            }
        }
    }
}
