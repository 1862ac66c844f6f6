using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Soak;

/// <summary>The self-hosted host over loopback HTTP: the start route (function key) and the Durable HTTP API (system key).</summary>
internal sealed class HostClient(Uri baseUri, string functionKey, string systemKey) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>True when the host answers its status route.</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri($"admin/host/status?code={systemKey}", UriKind.Relative), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts the workload's run under its own instance id; answers the status code, or null when the host could not be
    /// reached or died mid-request (the caller tries again: a second start of a run that is going answers 409).
    /// </summary>
    public async Task<(int? Status, string Body)> StartAsync(SoakWorkload workload, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.PostAsJsonAsync(
                new Uri($"api/provisioning/{SoakPlan.Template}/{workload.HttpInstanceId}?code={functionKey}", UriKind.Relative), SoakPlan.StartBody(workload), Json, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return (null, error.Message);
        }
    }

    /// <summary>Every run in the store (the list route, paged with <c>x-ms-continuation-token</c>); null when the host cannot be reached.</summary>
    public async Task<IReadOnlyList<HostRun>?> ListRunsAsync(CancellationToken cancellationToken)
    {
        var runs = new List<HostRun>();
        string? continuation = null;
        try
        {
            do
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"runtime/webhooks/durabletask/instances?top=500&showInput=false&code={systemKey}", UriKind.Relative));
                if (continuation is not null)
                {
                    request.Headers.Add("x-ms-continuation-token", continuation);
                }

                using var response = await _http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return null;
                }

                foreach (var item in await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken) ?? [])
                {
                    runs.Add(new HostRun((string)item!["instanceId"]!, (string)item["runtimeStatus"]!, item["output"]?.DeepClone(), item["customStatus"]?.DeepClone()));
                }

                continuation = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.FirstOrDefault() : null;
            }
            while (!string.IsNullOrEmpty(continuation));
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or IOException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return runs;
    }

    public void Dispose() => _http.Dispose();
}
