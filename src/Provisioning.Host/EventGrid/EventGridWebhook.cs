using System.Net.Mime;
using Microsoft.Extensions.Options;
using Provisioning.Arm.Errors;
using Provisioning.Host.EventGrid;
using Provisioning.Host.Http;

// In the namespace of WebApplication, so the host maps the webhook without another using.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>
/// The Event Grid trigger endpoint of Azure Functions, <c>/runtime/webhooks/eventgrid?functionName={name}</c>, with the
/// system key: POST delivers events (Event Grid schema or CloudEvents 1.0) and answers Event Grid's validation
/// handshake; OPTIONS answers the CloudEvents abuse-protection handshake.
/// </summary>
public static class EventGridWebhook
{
    /// <summary>The route.</summary>
    public const string Path = "/runtime/webhooks/eventgrid";

    /// <summary>Maps the webhook (POST and OPTIONS), both requiring the system key.</summary>
    /// <param name="endpoints">The app.</param>
    public static IEndpointRouteBuilder MapEventGridWebhook(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(Path, PostAsync).AddEndpointFilter(new FunctionKeyFilter(KeyScope.System));
        endpoints.MapMethods(Path, [HttpMethods.Options], Options).AddEndpointFilter(new FunctionKeyFilter(KeyScope.System));
        return endpoints;
    }

    private static IResult Options(HttpContext context, IOptions<EventGridTriggerOptions> options, ILogger<EventDispatcher> logger)
    {
        if (CheckFunction(context, options.Value) is { } wrong)
        {
            return Refuse(logger, wrong);
        }

        var origin = context.Request.Headers["WebHook-Request-Origin"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(origin))
        {
            return Refuse(logger, Problems.BadRequest("An OPTIONS request here is the CloudEvents webhook handshake and needs a 'WebHook-Request-Origin' header."));
        }

        // Consent: echo the origin, accept any rate, and say that events come by POST.
        context.Response.Headers["WebHook-Allowed-Origin"] = origin;
        context.Response.Headers["WebHook-Allowed-Rate"] = "*";
        context.Response.Headers.Allow = HttpMethods.Post;
        EventGridLog.Validated(logger, "CloudEvents");
        return Results.Ok();
    }

    private static async Task<IResult> PostAsync(
        HttpContext context, IOptions<EventGridTriggerOptions> options, EventDispatcher dispatcher, ILogger<EventDispatcher> logger, CancellationToken cancellationToken)
    {
        if (CheckFunction(context, options.Value) is { } wrong)
        {
            return Refuse(logger, wrong);
        }

        var request = context.Request;
        if (request.Headers.ContainsKey("ce-specversion"))
        {
            return Refuse(logger, Problems.UnsupportedMediaType("CloudEvents binary mode ('ce-' headers) is not accepted; deliver in structured mode ('application/cloudevents+json') or as a batch."));
        }

        var mediaType = request.ContentType is { } contentType ? contentType.Split(';')[0].Trim() : null;
        if (mediaType is not null
            && !mediaType.Equals(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase)
            && !mediaType.Equals(EventBatchReader.CloudEventMediaType, StringComparison.OrdinalIgnoreCase)
            && !mediaType.Equals(EventBatchReader.CloudEventBatchMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(logger, Problems.UnsupportedMediaType(
                $"The body is '{mediaType}'; events come as application/json, {EventBatchReader.CloudEventMediaType} or {EventBatchReader.CloudEventBatchMediaType}."));
        }

        var (body, error) = await JsonRequestBody.ReadAsync(request, required: true, cancellationToken);
        if (error is not null)
        {
            return Refuse(logger, error);
        }

        var validation = string.Equals(request.Headers["aeg-event-type"].FirstOrDefault(), "SubscriptionValidation", StringComparison.OrdinalIgnoreCase);
        EventBatch batch;
        try
        {
            batch = EventBatchReader.Read(body!, mediaType, validation);
        }
        catch (MalformedEventException exception)
        {
            return Refuse(logger, Problems.BadRequest(exception.Message));
        }

        if (batch.ValidationCode is { } code)
        {
            EventGridLog.Validated(logger, "Event Grid");
            return Results.Json(new { validationResponse = code });
        }

        try
        {
            return Results.Json(await dispatcher.DispatchAsync(batch, cancellationToken));
        }
        catch (Exception exception) when (exception is ArmException or TimeoutException)
        {
            // Not the event's fault: Event Grid retries 503 with backoff, and the repeat is recognised.
            return Results.Problem(exception.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable");
        }
    }

    private static IResult? CheckFunction(HttpContext context, EventGridTriggerOptions options)
    {
        var name = context.Request.Query["functionName"].FirstOrDefault();
        return string.IsNullOrWhiteSpace(name)
            ? Problems.BadRequest($"The request names no function: add '?functionName={options.FunctionName}'.")
            : !name.Equals(options.FunctionName, StringComparison.OrdinalIgnoreCase)
                ? Problems.BadRequest($"There is no Event Grid function named '{name}'; the function is '{options.FunctionName}'.")
                : null;
    }

    private static IResult Refuse(ILogger logger, IResult problem)
    {
        if (problem is IValueHttpResult { Value: Microsoft.AspNetCore.Mvc.ProblemDetails details })
        {
            EventGridLog.Refused(logger, details.Detail ?? details.Title ?? "bad request");
        }

        return problem;
    }
}
