using Provisioning.EventGrid;
using Provisioning.Host.Http;
using Provisioning.Runs;

// In the namespace of WebApplication, so the host maps the webhook without another using.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>
/// The Event Grid trigger endpoint of Azure Functions, <c>/runtime/webhooks/eventgrid?functionName={name}</c>, with the
/// system key: POST delivers events (Event Grid schema or CloudEvents 1.0) and answers Event Grid's validation
/// handshake; OPTIONS answers the CloudEvents abuse-protection handshake. The key is checked here; everything else is
/// <see cref="EventGridRequestHandler"/>'s, shared with the Functions app.
/// </summary>
public static class EventGridWebhook
{
    /// <summary>The route.</summary>
    public const string Path = "/runtime/webhooks/eventgrid";

    /// <summary>Maps the webhook (POST and OPTIONS), both requiring the system key and rate limited per client (<see cref="RateLimits.WebhookPolicy"/>).</summary>
    /// <param name="endpoints">The app.</param>
    public static IEndpointRouteBuilder MapEventGridWebhook(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapMethods(Path, [HttpMethods.Post, HttpMethods.Options], HandleAsync)
            .AddEndpointFilter(new FunctionKeyFilter(KeyScope.System))
            .RequireRateLimiting(RateLimits.WebhookPolicy);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, EventGridRequestHandler handler, ProvisioningStarter starter, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var response = await handler.HandleAsync(
            EventGridRequest.Create(
                request.Method,
                request.Query["functionName"].FirstOrDefault(),
                name => request.Headers.TryGetValue(name, out var values) ? values.FirstOrDefault() ?? string.Empty : null,
                request.ContentLength,
                request.Body),
            starter,
            cancellationToken);
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        return response.Problem is { } problem ? Problems.From(problem)
            : response.Body is { } body ? Results.Json(body, statusCode: response.StatusCode)
            : Results.StatusCode(response.StatusCode);
    }
}
