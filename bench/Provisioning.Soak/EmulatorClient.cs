using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Soak;

/// <summary>
/// The external emulator over HTTPS, as any client in another process reaches it: its certificate (<c>arm-emulator.pem</c>)
/// as the only trust anchor, its development token (<c>arm-emulator.token</c>) for ARM, and its <c>/_emulator</c> admin API.
/// </summary>
internal sealed class EmulatorClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;

    public EmulatorClient(Uri baseUri, string dataDirectory)
    {
        var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dataDirectory, "arm-emulator.pem")));
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(certificate);
        var handler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
        _http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(dataDirectory, "arm-emulator.token")).Trim());
    }

    public async Task SetFaultsAsync(JsonObject faults, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsJsonAsync(new Uri("_emulator/faults", UriKind.Relative), faults, Json, cancellationToken);
        await EnsureAsync(response, "PUT /_emulator/faults", cancellationToken);
    }

    public async Task PushImageAsync(string registry, string repository, string tag, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri($"_emulator/registries/{registry}/images", UriKind.Relative), new { repository, tag }, Json, cancellationToken);
        await EnsureAsync(response, $"push {repository}:{tag}", cancellationToken);
    }

    public Task<JsonArray> GetInventoryAsync(CancellationToken cancellationToken) => GetArrayAsync("_emulator/inventory", cancellationToken);

    public Task<JsonArray> GetEventsAsync(CancellationToken cancellationToken) => GetArrayAsync("_emulator/events", cancellationToken);

    public Task<JsonArray> GetDeliveriesAsync(CancellationToken cancellationToken) => GetArrayAsync("_emulator/deliveries", cancellationToken);

    public Task<JsonArray> GetRequestLogAsync(CancellationToken cancellationToken) => GetArrayAsync("_emulator/requests", cancellationToken);

    /// <summary>
    /// Creates an Event Grid subscription (the emulator runs the validation handshake) and answers its provisioning state.
    /// </summary>
    public async Task<string?> SubscribeAsync(string name, Uri endpoint, IReadOnlyList<string> eventTypes, CancellationToken cancellationToken)
    {
        using var response = await _http.PutAsJsonAsync(new Uri($"_emulator/eventSubscriptions/{name}", UriKind.Relative), new { endpoint, includedEventTypes = eventTypes }, Json, cancellationToken);
        await EnsureAsync(response, $"PUT /_emulator/eventSubscriptions/{name}", cancellationToken);
        return (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["provisioningState"];
    }

    /// <summary>The state of the host's Event Grid subscription, or null while there is none.</summary>
    public async Task<string?> GetSubscriptionStateAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"_emulator/eventSubscriptions/{name}", UriKind.Relative), cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound
            ? null
            : (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["provisioningState"];
    }

    /// <summary>The subscription the emulator serves (ARM <c>GET /subscriptions</c>).</summary>
    public async Task<string> GetSubscriptionIdAsync(CancellationToken cancellationToken)
    {
        var body = await ArmAsync(HttpMethod.Get, "subscriptions?api-version=2022-12-01", null, cancellationToken);
        return (string?)body?["value"]?[0]?["subscriptionId"] ?? throw new InvalidOperationException("The emulator answered GET /subscriptions without a subscription.");
    }

    /// <summary>An ARM GET of a resource by id; null when it does not exist.</summary>
    public async Task<JsonObject?> GetResourceAsync(string id, string apiVersion, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"{id.TrimStart('/')}?api-version={apiVersion}", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, $"GET {id}", cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
    }

    public async Task<JsonNode?> ArmAsync(HttpMethod method, string pathAndQuery, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(pathAndQuery.TrimStart('/'), UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        await EnsureAsync(response, $"{method} {pathAndQuery}", cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonArray> GetArrayAsync(string path, CancellationToken cancellationToken)
        => await _http.GetFromJsonAsync<JsonArray>(new Uri(path, UriKind.Relative), cancellationToken) ?? [];

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
