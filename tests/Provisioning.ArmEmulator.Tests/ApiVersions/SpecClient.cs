using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests.ApiVersions;

/// <summary>
/// A small ARM client written from the REST specs' common contract rather than from the emulator: a PUT answers
/// 200/201/202 and, when long-running, is followed through <c>Azure-AsyncOperation</c> (or <c>Location</c>) to a terminal
/// status as an SDK poller does, honouring <c>Retry-After</c>; a GET answers 200. Any other answer is an
/// <see cref="InvalidOperationException"/> that names the request and quotes the response.
/// </summary>
internal sealed class SpecClient(HttpClient http)
{
    private static readonly TimeSpan PollFloor = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan PollDeadline = TimeSpan.FromSeconds(20);

    /// <summary>PUT, then the long-running operation to its end; returns the terminal operation status (or the PUT's status code).</summary>
    public async Task<string> PutAsync(string path, string apiVersion, JsonNode body)
    {
        using var response = await SendAsync(HttpMethod.Put, path, apiVersion, body);
        await ExpectAsync(response, HttpMethod.Put, path, apiVersion, HttpStatusCode.OK, HttpStatusCode.Created, HttpStatusCode.Accepted);
        return await FollowAsync(response, path, apiVersion);
    }

    /// <summary>POST an action, accepting the given answers, then its long-running operation if any.</summary>
    public async Task<(HttpStatusCode Status, JsonObject? Body, string Outcome)> PostAsync(string path, string apiVersion, JsonNode? body, params HttpStatusCode[] expected)
    {
        using var response = await SendAsync(HttpMethod.Post, path, apiVersion, body);
        var json = await ExpectAsync(response, HttpMethod.Post, path, apiVersion, expected);
        return (response.StatusCode, json, await FollowAsync(response, path, apiVersion));
    }

    /// <summary>GET, expecting 200; returns the body.</summary>
    public async Task<JsonObject> GetAsync(string path, string apiVersion)
    {
        using var response = await SendAsync(HttpMethod.Get, path, apiVersion, null);
        return await ExpectAsync(response, HttpMethod.Get, path, apiVersion, HttpStatusCode.OK)
            ?? throw new InvalidOperationException($"GET {path} at {apiVersion} answered 200 without a body.");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string apiVersion, JsonNode? body)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var request = new HttpRequestMessage(method, $"{path}{separator}api-version={apiVersion}");
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    private static async Task<JsonObject?> ExpectAsync(HttpResponseMessage response, HttpMethod method, string path, string apiVersion, params HttpStatusCode[] expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!expected.Contains(response.StatusCode))
        {
            throw new InvalidOperationException($"{method} {path} at {apiVersion} answered {(int)response.StatusCode}: {text}");
        }

        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text) as JsonObject;
    }

    /// <summary>Follows the operation headers of a first answer to the end; "Succeeded" when there are none.</summary>
    private async Task<string> FollowAsync(HttpResponseMessage first, string path, string apiVersion)
    {
        var deadline = DateTime.UtcNow + PollDeadline;
        var delay = RetryAfter(first);
        if (first.Headers.TryGetValues("Azure-AsyncOperation", out var operations))
        {
            var operation = operations.Single();
            while (DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay);
                using var poll = await http.GetAsync(operation);
                var status = (await ExpectAsync(poll, HttpMethod.Get, operation, apiVersion, HttpStatusCode.OK))?["status"]?.GetValue<string>();
                if (status is not ("InProgress" or "Accepted" or "Running" or null))
                {
                    return status;
                }

                delay = RetryAfter(poll);
            }
        }
        else if (first.StatusCode == HttpStatusCode.Accepted && first.Headers.Location is { } location)
        {
            while (DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay);
                using var poll = await http.GetAsync(location);
                if (poll.StatusCode != HttpStatusCode.Accepted)
                {
                    return poll.IsSuccessStatusCode ? "Succeeded" : $"Failed ({(int)poll.StatusCode})";
                }

                delay = RetryAfter(poll);
            }
        }
        else
        {
            return "Succeeded";
        }

        throw new InvalidOperationException($"The operation started on {path} at {apiVersion} did not end within {PollDeadline.TotalSeconds} s.");
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var after = response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
        return after > PollFloor ? after : PollFloor;
    }
}
