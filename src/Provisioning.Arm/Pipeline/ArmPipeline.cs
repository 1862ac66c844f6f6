using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Errors;

namespace Provisioning.Arm.Pipeline;

/// <summary>
/// Sends ARM requests through Azure.Core's <see cref="HttpPipeline"/> (authentication, retries with
/// <c>Retry-After</c>, logging) and turns ARM's error bodies into <see cref="ArmException"/>. Protected secrets in a
/// request body are resolved to plaintext by <paramref name="secrets"/> only in the copy that is sent (never logged:
/// Azure.Core's content logging stays off and this class logs method, path and status only).
/// </summary>
internal sealed class ArmPipeline(HttpPipeline pipeline, Uri endpoint, ILogger logger, IRequestSecretResolver? secrets = null)
{
    public Uri Endpoint => endpoint;

    /// <summary>Sends a request to a path under the endpoint with an api-version and optional extra query parameters.</summary>
    public Task<ArmResponse> SendAsync(
        RequestMethod method,
        string path,
        string apiVersion,
        JsonNode? body,
        IReadOnlyList<int> accepted,
        CancellationToken cancellationToken,
        params (string Name, string Value)[] query)
    {
        var message = pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(endpoint);
        request.Uri.AppendPath(path, escape: false);
        request.Uri.AppendQuery("api-version", apiVersion, true);
        foreach (var (name, value) in query)
        {
            request.Uri.AppendQuery(name, value, true);
        }
        return SendAsync(message, body, accepted, cancellationToken);
    }

    /// <summary>Sends a GET to an absolute URL ARM gave back (nextLink, Azure-AsyncOperation, Location); it must be on the endpoint's host.</summary>
    public Task<ArmResponse> GetUrlAsync(string url, IReadOnlyList<int> accepted, CancellationToken cancellationToken)
    {
        var uri = CheckedLink(url);
        var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Get;
        message.Request.Uri.Reset(uri);
        return SendAsync(message, null, accepted, cancellationToken);
    }

    /// <summary>Checks that a URL ARM returned points at the same endpoint, so the bearer token never goes elsewhere.</summary>
    public Uri CheckedLink(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new ArmException(0, new ArmError("InvalidLink", $"ARM returned a link that is not an absolute URL: '{url}'.", null, []), null, null);
        }
        if (!uri.Scheme.Equals(endpoint.Scheme, StringComparison.OrdinalIgnoreCase)
            || !uri.Host.Equals(endpoint.Host, StringComparison.OrdinalIgnoreCase)
            || uri.Port != endpoint.Port)
        {
            throw new ArmException(0, new ArmError("InvalidLink", $"ARM returned a link to '{uri.GetLeftPart(UriPartial.Authority)}', not to the ARM endpoint '{endpoint.GetLeftPart(UriPartial.Authority)}'; it is not followed.", null, []), null, null);
        }
        return uri;
    }

    private async Task<ArmResponse> SendAsync(HttpMessage message, JsonNode? body, IReadOnlyList<int> accepted, CancellationToken cancellationToken)
    {
        using (message)
        {
            var request = message.Request;
            request.Headers.SetValue("Accept", "application/json");
            if (body is not null)
            {
                request.Headers.SetValue("Content-Type", "application/json");
                // Resolved here, as late as possible, so the plaintext lives only in the bytes on the wire.
                request.Content = RequestContent.Create(BinaryData.FromString(RequestBodySecrets.Resolve(body, secrets)!.ToJsonString()));
            }
            var method = request.Method.Method;
            var path = request.Uri.Path;
            await pipeline.SendAsync(message, cancellationToken);
            var response = message.Response;
            var content = response.Content.ToString();
            JsonNode? json = null;
            if (!string.IsNullOrWhiteSpace(content))
            {
                try
                {
                    json = JsonNode.Parse(content);
                }
                catch (JsonException) when (response.Status >= 400)
                {
                    json = null;
                }
            }
            var result = new ArmResponse(
                response.Status,
                json,
                Header(response, "Azure-AsyncOperation"),
                Header(response, "Location"),
                RetryAfter(response),
                Header(response, "x-ms-request-id"));
            logger.LogDebug("ARM {Method} {Path} answered {Status} (request id {RequestId})", method, path, result.Status, result.RequestId);
            if (accepted.Contains(response.Status))
            {
                return result;
            }
            var error = ReadError(json, response.Status, content);
            logger.LogWarning("ARM {Method} {Path} failed with {Status} {Code}: {Message} (request id {RequestId})", method, path, response.Status, error.Code, error.Message, result.RequestId);
            throw new ArmException(response.Status, error, result.RequestId, result.RetryAfter);
        }
    }

    /// <summary>Reads ARM's <c>{"error": {...}}</c> body (or the bare error object some services return).</summary>
    public static ArmError ReadError(JsonNode? json, int status, string? rawContent)
    {
        var error = json?["error"] as JsonObject ?? json as JsonObject;
        if (error?["code"] is JsonValue)
        {
            return ReadErrorObject(error);
        }
        var text = string.IsNullOrWhiteSpace(rawContent) ? "The response had no error body." : rawContent.Length > 500 ? rawContent[..500] : rawContent;
        return new ArmError("HttpStatus" + status.ToString(CultureInfo.InvariantCulture), text, null, []);
    }

    internal static ArmError ReadErrorObject(JsonObject error) => new(
        error["code"]?.GetValue<string>() ?? "Unknown",
        error["message"]?.GetValue<string>() ?? string.Empty,
        error["target"]?.GetValue<string>(),
        (error["details"] as JsonArray)?.OfType<JsonObject>().Select(ReadErrorObject).ToArray() ?? []);

    private static string? Header(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value : null;

    private static TimeSpan? RetryAfter(Response response)
    {
        var value = Header(response, "Retry-After");
        if (value is null)
        {
            return null;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - (response.Headers.Date ?? DateTimeOffset.UtcNow)
            : null;
    }
}
