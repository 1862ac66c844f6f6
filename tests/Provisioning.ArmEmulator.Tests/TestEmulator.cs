using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Provisioning.ArmEmulator;

namespace Provisioning.ArmEmulator.Tests;

/// <summary>An in-process emulator on a fake clock, and a plain HttpClient that trusts exactly its certificate.</summary>
internal sealed class TestEmulator : IAsyncDisposable
{
    private TestEmulator(ArmEmulatorServer server, FakeTimeProvider time, HttpClient http)
    {
        Server = server;
        Time = time;
        Http = http;
    }

    public ArmEmulatorServer Server { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public string Sub => $"/subscriptions/{Server.SubscriptionId}";

    public static string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "arm-emulator-tests");

    public static async Task<TestEmulator> StartAsync(ArmEmulatorOptions? options = null, FakeTimeProvider? clock = null)
    {
        var time = clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        options ??= new ArmEmulatorOptions();
        var server = await ArmEmulatorServer.StartAsync(options.DataDirectory is null ? options with { DataDirectory = DataDirectory } : options, time);
        return new TestEmulator(server, time, server.CreateHttpClient());
    }

    /// <summary>An HttpClient whose only trust anchor is the emulator's certificate.</summary>
    public static HttpClient CreateClient(X509Certificate2 certificate)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        var handler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task<HttpResponseMessage> PutAsync(string path, string apiVersion, string json) => SendAsync(HttpMethod.Put, path, apiVersion, json);

    public Task<HttpResponseMessage> PatchAsync(string path, string apiVersion, string json) => SendAsync(HttpMethod.Patch, path, apiVersion, json);

    public Task<HttpResponseMessage> PostAsync(string path, string apiVersion, string? json = null) => SendAsync(HttpMethod.Post, path, apiVersion, json);

    public Task<HttpResponseMessage> GetAsync(string path, string apiVersion) => SendAsync(HttpMethod.Get, path, apiVersion, null);

    public Task<HttpResponseMessage> DeleteAsync(string path, string apiVersion) => SendAsync(HttpMethod.Delete, path, apiVersion, null);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? apiVersion, string? json)
    {
        var uri = apiVersion is null ? path : $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}api-version={apiVersion}";
        using var request = new HttpRequestMessage(method, uri);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<string> ErrorCodeAsync(HttpResponseMessage response) =>
        (await JsonAsync(response))["error"]!["code"]!.GetValue<string>();

    public async Task CreateGroupAsync(string name, string location = "westeurope")
    {
        using var r = await PutAsync($"{Sub}/resourcegroups/{name}", "2024-03-01", $$"""{"location":"{{location}}"}""");
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    public async Task<JsonObject> CreateIdentityAsync(string group, string name)
    {
        using var r = await PutAsync($"{Sub}/resourceGroups/{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}", "2024-11-30", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return await JsonAsync(r);
    }

    public async Task<JsonObject> CreateRegistryAsync(string group, string name, string properties = "{}")
    {
        var path = $"{Sub}/resourceGroups/{group}/providers/Microsoft.ContainerRegistry/registries/{name}";
        using var r = await PutAsync(path, "2025-11-01", $$$"""{"location":"westeurope","sku":{"name":"Premium"},"properties":{{{properties}}}}""");
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        Time.Advance(TimeSpan.FromSeconds(5));
        using var g = await GetAsync(path, "2025-11-01");
        var body = await JsonAsync(g);
        Assert.Equal("Succeeded", body["properties"]!["provisioningState"]!.GetValue<string>());
        return body;
    }

    public async Task GrantAsync(string scope, string principalId, string roleId)
    {
        using var r = await PutAsync(
            $"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}",
            "2022-04-01",
            "{\"properties\":{\"roleDefinitionId\":\"" + Sub + "/providers/Microsoft.Authorization/roleDefinitions/" + roleId + "\",\"principalId\":\"" + principalId + "\",\"principalType\":\"ServicePrincipal\"}}");
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    /// <summary>Polls a condition (no sleeping on the fake clock; short real waits between tries).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("Timed out waiting for " + what);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
