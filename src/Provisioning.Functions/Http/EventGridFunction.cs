using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Provisioning.EventGrid;
using Provisioning.Functions.Configuration;

namespace Provisioning.Functions.Http;

/// <summary>
/// Event Grid's endpoint, <c>POST|OPTIONS /api/events</c> with a function key: an HTTP trigger, because the Event Grid
/// worker extension is not available, on the same <see cref="EventGridRequestHandler"/> as the self-hosted webhook
/// (both schemas, batches, each event accepted or refused on its own, both handshakes, the allowed-origin policy). The
/// route names the function, so <c>?functionName=</c> is optional here (a subscription made for the self-hosted webhook
/// still works); given, it must name this function, or the answer is 404 as on the self-hosted webhook.
/// </summary>
/// <param name="handler">The shared Event Grid handling.</param>
/// <param name="starters">Makes the invocation's run starter.</param>
/// <param name="options">The Event Grid settings.</param>
public sealed class EventGridFunction(EventGridRequestHandler handler, RunStarters starters, IOptions<EventGridTriggerOptions> options)
{
    /// <summary>The function's name, which Event Grid subscriptions of the self-hosted webhook name too.</summary>
    public const string FunctionName = EventGridTriggerOptions.DefaultFunctionName;

    /// <summary>Answers a delivery or a handshake.</summary>
    /// <param name="request">The request.</param>
    /// <param name="client">The Durable client runs are started with.</param>
    /// <param name="cancellationToken">Cancels the handling.</param>
    [Function(FunctionName)]
    public async Task<IResult> ProvisioningEvents(
        [HttpTrigger(AuthorizationLevel.Function, "post", "options", Route = "events")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await handler.HandleAsync(
            EventGridRequest.Create(
                request.Method,
                request.Query["functionName"].FirstOrDefault() ?? options.Value.FunctionName,
                name => request.Headers.TryGetValue(name, out var values) ? values.FirstOrDefault() ?? string.Empty : null,
                request.ContentLength,
                request.Body),
            starters.For(client),
            cancellationToken);
        foreach (var (name, value) in response.Headers)
        {
            request.HttpContext.Response.Headers[name] = value;
        }

        return response.Problem is { } problem ? FunctionResults.Problem(problem)
            : response.Body is { } body ? Results.Json(body, JsonSerializerOptions.Web, statusCode: response.StatusCode)
            : Results.StatusCode(response.StatusCode);
    }
}
