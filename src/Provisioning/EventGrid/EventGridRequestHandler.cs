using System.Net.Mime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Arm.Errors;
using Provisioning.Requests;
using Provisioning.Runs;

namespace Provisioning.EventGrid;

/// <summary>
/// The Event Grid endpoint, whichever host serves it (the self-hosted <c>/runtime/webhooks/eventgrid</c>, the Functions
/// app's <c>/api/events</c>): POST delivers events (Event Grid schema or CloudEvents 1.0, single or batched) and answers
/// Event Grid's validation handshake; OPTIONS answers the CloudEvents abuse-protection handshake for the allowed
/// origins only (<see cref="EventGridTriggerOptions.AllowedOrigins"/>). As the Functions Event Grid extension does, each
/// event of a batch is accepted or refused on its own: malformed events are logged and reported in the 200 body's
/// <c>refused</c>, the others are handled; a 4xx (which Event Grid does not retry) only when the request as a whole is
/// unusable (not JSON, not events, wrong media type, nothing usable in it). An unknown <c>functionName</c> gets 404
/// (Event Grid retries it); a failure that is not the delivery's fault (ARM unreachable, runs that do not stop in time)
/// gets 503, and an unexpected one 500 with no internals in the body, so Event Grid delivers again. Keys are the
/// host's concern.
/// </summary>
public sealed class EventGridRequestHandler
{
    private readonly EventDispatcher _dispatcher;
    private readonly EventGridTriggerOptions _options;
    private readonly ILogger _logger;

    internal EventGridRequestHandler(EventDispatcher dispatcher, IOptions<EventGridTriggerOptions> options, ILogger<EventDispatcher> logger)
    {
        _dispatcher = dispatcher;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Answers a request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="starter">Starts the runs the rules decide on, through its <see cref="ProvisioningStarter.Client"/> (a host
    /// whose client comes with each invocation, as a Functions app's <c>[DurableClient]</c> binding, makes one per request).</param>
    /// <param name="cancellationToken">Cancels the handling.</param>
    /// <returns>The response to write.</returns>
    public async Task<EventGridResponse> HandleAsync(EventGridRequest request, ProvisioningStarter starter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(starter);
        if (CheckFunction(request.FunctionName) is { } wrong)
        {
            return Refuse(wrong);
        }

        if (string.Equals(request.Method, "OPTIONS", StringComparison.OrdinalIgnoreCase))
        {
            return Options(request);
        }

        if (!string.Equals(request.Method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            return new EventGridResponse(405)
            {
                Problem = new RequestProblem(405, "Method not allowed", $"The Event Grid endpoint takes POST and OPTIONS, not {request.Method}."),
                Headers = new Dictionary<string, string> { ["Allow"] = "POST, OPTIONS" },
            };
        }

        try
        {
            return await PostAsync(request, starter, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is not IOException)
        {
            // (An IOException is the request's body failing to arrive — too large, cut short — which the host answers.)
            // Not the delivery's fault as far as anyone can tell: Event Grid retries a 500. The body names no internals.
            EventGridLog.Failed(_logger, exception);
            return EventGridResponse.From(new RequestProblem(500, "Internal server error", "The delivery could not be handled; it was not acknowledged, so Event Grid delivers it again."));
        }
    }

    private EventGridResponse Options(EventGridRequest request)
    {
        var origin = request.RequestOrigin;
        if (string.IsNullOrWhiteSpace(origin))
        {
            return Refuse(RequestProblem.BadRequest($"An OPTIONS request here is the CloudEvents webhook handshake and needs a '{EventGridRequest.RequestOriginHeader}' header."));
        }

        if (!_options.AllowsOrigin(origin))
        {
            EventGridLog.OriginRefused(_logger, origin.Length > 200 ? origin[..200] : origin);
            return EventGridResponse.From(new RequestProblem(403, "Forbidden", $"The origin is not allowed to deliver here; allowed: {string.Join(", ", _options.AllowedOriginList)} (setting Provisioning:EventGrid:AllowedOrigins)."));
        }

        // Consent: echo the origin, accept any rate, and say that events come by POST.
        EventGridLog.Validated(_logger, "CloudEvents");
        return new EventGridResponse(200)
        {
            Headers = new Dictionary<string, string>
            {
                ["WebHook-Allowed-Origin"] = origin,
                ["WebHook-Allowed-Rate"] = "*",
                ["Allow"] = "POST",
            },
        };
    }

    private async Task<EventGridResponse> PostAsync(EventGridRequest request, ProvisioningStarter starter, CancellationToken cancellationToken)
    {
        if (request.CloudEventsSpecVersion is not null)
        {
            return Refuse(RequestProblem.UnsupportedMediaType("CloudEvents binary mode ('ce-' headers) is not accepted; deliver in structured mode ('application/cloudevents+json') or as a batch."));
        }

        var mediaType = JsonBody.MediaType(request.ContentType);
        if (mediaType is not null
            && !mediaType.Equals(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
            && !mediaType.Equals(EventBatchReader.CloudEventMediaType, StringComparison.OrdinalIgnoreCase)
            && !mediaType.Equals(EventBatchReader.CloudEventBatchMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(RequestProblem.UnsupportedMediaType(
                $"The body is '{mediaType}'; events come as application/json, {EventBatchReader.CloudEventMediaType} or {EventBatchReader.CloudEventBatchMediaType}."));
        }

        var body = await JsonBody.ReadAsync(request.Body, request.ContentLength, request.ContentType, required: true, cancellationToken);
        if (body.Problem is { } unreadable)
        {
            return Refuse(unreadable);
        }

        var validation = string.Equals(request.EventType, "SubscriptionValidation", StringComparison.OrdinalIgnoreCase);
        EventBatch batch;
        try
        {
            batch = EventBatchReader.Read(body.Value!, mediaType, validation);
        }
        catch (MalformedEventException exception)
        {
            return Refuse(RequestProblem.BadRequest(exception.Message));
        }

        if (batch.ValidationCode is { } code)
        {
            EventGridLog.Validated(_logger, "Event Grid");
            return EventGridResponse.Json(new SubscriptionValidationResponse(code));
        }

        foreach (var refused in batch.Refused)
        {
            EventGridLog.EventRefused(_logger, refused.Index, refused.Id, refused.Reason);
        }

        try
        {
            return EventGridResponse.Json(await _dispatcher.DispatchAsync(batch, starter, cancellationToken));
        }
        catch (Exception exception) when (exception is ArmException or TimeoutException)
        {
            // Not the event's fault: Event Grid retries 503 with backoff, and the repeat is recognised.
            return EventGridResponse.From(RequestProblem.ServiceUnavailable(exception.Message));
        }
    }

    private RequestProblem? CheckFunction(string? name)
        => string.IsNullOrWhiteSpace(name)
            ? RequestProblem.NotFound($"The request names no function: add '?functionName={_options.FunctionName}'.")
            : !name.Equals(_options.FunctionName, StringComparison.OrdinalIgnoreCase)
                ? RequestProblem.NotFound($"There is no Event Grid function named '{(name.Length > 100 ? name[..100] : name)}'; the function is '{_options.FunctionName}'.")
                : null;

    private EventGridResponse Refuse(RequestProblem problem)
    {
        EventGridLog.Refused(_logger, problem.Detail);
        return EventGridResponse.From(problem);
    }
}
