using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.Admin;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.ArmEmulator.Hosting;

/// <summary>
/// The HTTP side of every ARM request: bearer authentication, injected latency / transient failures / throttling,
/// body parsing, dispatch under the store lock, ARM's response headers, and the request log.
/// </summary>
internal sealed class ArmEndpoint(EmulatorContext context, ArmDispatcher dispatcher, TokenIssuer tokens, RequestLog log, Throttle throttle)
{
    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var method = request.Method.ToUpperInvariant();
        var apiVersion = request.Query["api-version"].ToString();
        var correlationId = request.Headers["x-ms-correlation-request-id"].FirstOrDefault() ?? Guid.NewGuid().ToString();
        var requestTime = context.Time.GetUtcNow();
        ArmResponse response;
        try
        {
            response = await ProcessAsync(http, method, apiVersion, correlationId);
        }
        catch (ArmException ex)
        {
            response = ArmResponse.Error(ex);
        }
#pragma warning disable CA1031 // Any failure becomes ARM's 500 body; the emulator keeps serving.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            context.Logger.LogError(ex, "Unhandled error for {Method} {Path}", method, request.Path);
            response = new ArmResponse(HttpStatusCode.InternalServerError, new ArmError("InternalServerError", "Encountered internal server error. " + ex.Message).ToBody());
        }

        var errorCode = response.Body is JsonObject b && b["error"]?["code"] is JsonValue code ? code.GetValue<string>() : null;
        log.Add(new RequestLogEntry(requestTime, method, request.Path.Value ?? "/", string.IsNullOrEmpty(apiVersion) ? null : apiVersion, (int)response.Status, errorCode));
        if (context.Options.LogRequests)
        {
            context.Logger.LogInformation("{Method} {Path} api-version={ApiVersion} -> {Status} {ErrorCode}", method, request.Path, apiVersion, (int)response.Status, errorCode);
        }

        await WriteAsync(http, response, correlationId);
    }

    private async Task<ArmResponse> ProcessAsync(HttpContext http, string method, string apiVersion, string correlationId)
    {
        Authenticate(http.Request);
        var faults = context.Faults.Current;
        var delay = faults.AddedLatency + (faults.LatencyJitter > TimeSpan.Zero ? faults.LatencyJitter * context.Faults.NextDouble() : TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.Time, http.RequestAborted);
        }

        var write = method is not ("GET" or "HEAD");
        var path = ArmPath.Parse(http.Request.Path.Value ?? "/");
        var throttleHeader = write ? "x-ms-ratelimit-remaining-subscription-writes" : "x-ms-ratelimit-remaining-subscription-reads";
        var taken = throttle.Take(faults.Throttling, path.SubscriptionId ?? "tenant", write);
        if (taken is { Granted: false } refused)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(refused.RetryAfter.TotalSeconds));
            var error = new ArmException(
                HttpStatusCode.TooManyRequests,
                "SubscriptionRequestsThrottled",
                $"Number of '{(write ? "write" : "read")}' requests for subscription '{path.SubscriptionId}' actor 'emulator-caller' exceeded. Please try again after '{seconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling");
            error.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            error.Headers[throttleHeader] = "0";
            throw error;
        }

        if (context.Faults.Chance(faults.TransientFailureRate))
        {
            var unavailable = context.Faults.NextDouble() < 0.5;
            var transient = unavailable
                ? new ArmException(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "The service is temporarily unavailable. Please retry (emulator fault 'TransientFailureRate').")
                : new ArmException(HttpStatusCode.InternalServerError, "InternalServerError", "Encountered internal server error. Please retry (emulator fault 'TransientFailureRate').");
            if (unavailable)
            {
                transient.Headers["Retry-After"] = "1";
            }

            throw transient;
        }

        JsonNode? body = null;
        if (method is "PUT" or "PATCH" or "POST")
        {
            body = await ReadBodyAsync(http.Request);
        }

        // The request is one unit of work: what it changed (and what it found due) is saved before the lock is
        // released, and the answer waits until that is on disk, so an acknowledged change survives a crash.
        ArmResponse response;
        var position = 0L;
        try
        {
            lock (context.Store.Sync)
            {
                try
                {
                    response = dispatcher.Dispatch(method, path, apiVersion, http.Request.Query, body, correlationId);
                    response.Utf8Body = response.Body is null ? null : Encoding.UTF8.GetBytes(ArmJson.Serialize(response.Body));
                }
                finally
                {
                    position = context.Persistence.Commit();
                }
            }
        }
        finally
        {
            await context.Persistence.WaitDurableAsync(position);
        }

        if (taken is { } granted)
        {
            response.Headers[throttleHeader] = granted.Remaining.ToString(CultureInfo.InvariantCulture);
        }

        return response;
    }

    private void Authenticate(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            var missing = new ArmException(HttpStatusCode.Unauthorized, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
            missing.Headers["WWW-Authenticate"] = "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", error_description=\"The authentication failed because of missing 'Authorization' header.\"";
            throw missing;
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || !tokens.IsValid(header[7..].Trim()))
        {
            var invalid = new ArmException(HttpStatusCode.Unauthorized, "InvalidAuthenticationToken", "The access token is invalid.");
            invalid.Headers["WWW-Authenticate"] = "Bearer authorization_uri=\"https://login.microsoftonline.com/common\", error=\"invalid_token\", error_description=\"The access token is invalid.\"";
            throw invalid;
        }
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new ArmException(HttpStatusCode.BadRequest, "InvalidRequestContent", $"The request content was invalid and could not be deserialized: '{ex.Message}'.");
        }
    }

    private static async Task WriteAsync(HttpContext http, ArmResponse response, string correlationId)
    {
        var headers = http.Response.Headers;
        http.Response.StatusCode = (int)response.Status;
        headers["x-ms-request-id"] = Guid.NewGuid().ToString();
        headers["x-ms-correlation-request-id"] = correlationId;
        if (http.Request.Headers.TryGetValue("x-ms-client-request-id", out var clientRequestId))
        {
            headers["x-ms-client-request-id"] = clientRequestId;
        }

        headers.CacheControl = "no-cache";
        foreach (var (name, value) in response.Headers)
        {
            headers[name] = value;
        }

        if (response.Body is not null && http.Request.Method != "HEAD")
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            var bytes = response.Utf8Body ?? Encoding.UTF8.GetBytes(ArmJson.Serialize(response.Body));
            http.Response.ContentLength = bytes.Length;
            await http.Response.Body.WriteAsync(bytes, http.RequestAborted);
        }
        else if (response.Status == HttpStatusCode.OK || response.Status == HttpStatusCode.Accepted)
        {
            http.Response.ContentLength = 0;
        }
    }
}
