using System.Text.Json;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Provisioning.Host.Configuration;
using Provisioning.Runs;

namespace Provisioning.Host.Http;

/// <summary>
/// The Durable Functions HTTP API (<c>/runtime/webhooks/durabletask/...</c>) over any <see cref="DurableTaskClient"/> (embedded or gRPC backend):
/// the same routes, status codes and payloads, so tools written for Durable Functions work against this host.
/// </summary>
public static class DurableHttpApi
{
    /// <summary>Maps the routes; every one requires the system key.</summary>
    public static IEndpointRouteBuilder MapDurableHttpApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(CheckStatusPayload.WebhookPath).AddEndpointFilter(new FunctionKeyFilter(KeyScope.System)).AddEndpointFilter(CheckInstanceId);
        api.MapPost("/orchestrators/{functionName}/{instanceId?}", StartAsync).RequireRateLimiting(RateLimits.StartPolicy);
        api.MapGet("/instances/{instanceId}", GetStatusAsync);
        api.MapGet("/instances", ListAsync);
        api.MapPost("/instances/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync);
        api.MapPost("/instances/{instanceId}/terminate", TerminateAsync);
        api.MapPost("/instances/{instanceId}/suspend", SuspendAsync);
        api.MapPost("/instances/{instanceId}/resume", ResumeAsync);
        api.MapDelete("/instances/{instanceId}", PurgeAsync);
        api.MapDelete("/instances", PurgeByFilterAsync);
        api.MapPost("/instances/{instanceId}/restart", RestartAsync);
        return endpoints;
    }

    // An instance id of only white space or with control characters names no instance and cannot name a new one.
    private static ValueTask<object?> CheckInstanceId(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        => context.HttpContext.Request.RouteValues.TryGetValue("instanceId", out var value) && value is string id
            && (string.IsNullOrWhiteSpace(id) || id.Any(char.IsControl))
            ? ValueTask.FromResult<object?>(Problems.BadRequest("The instance id is empty, white space or has control characters."))
            : next(context);

    /// <summary>The 202 response that points a caller at its new instance, as Durable Functions' CreateCheckStatusResponse.</summary>
    public static IResult CheckStatusResponse(HttpContext context, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = CheckStatusPayload.For(
            new Uri($"{context.Request.Scheme}://{context.Request.Host}"),
            instanceId,
            context.RequestServices.GetRequiredService<IOptions<DurableTaskSettings>>().Value.HubName,
            context.RequestServices.GetRequiredService<IOptionsMonitor<FunctionKeyOptions>>().CurrentValue.SystemKey);
        context.Response.Headers.RetryAfter = "10";
        return Results.Accepted(payload.StatusQueryGetUri, payload);
    }

    private static async Task<IResult> StartAsync(
        HttpContext context, string functionName, string? instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var (input, error) = await JsonRequestBody.ReadAsync(context.Request, required: false, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var known = context.RequestServices.GetRequiredService<RegisteredOrchestrators>();
        if (!known.Contains(functionName))
        {
            return Problems.BadRequest($"No orchestrator named '{functionName}' is registered with this host; it has {string.Join(", ", known.Names)}.");
        }

        try
        {
            var options = new StartOrchestrationOptions(string.IsNullOrEmpty(instanceId) ? null : instanceId) { DedupeStatuses = RunStatuses.RefuseWhileGoing };
            var id = await client.ScheduleNewOrchestrationInstanceAsync(functionName, input, options, cancellationToken);
            return CheckStatusResponse(context, id);
        }
        catch (OrchestrationAlreadyExistsException exception)
        {
            return Problems.Conflict(exception.Message);
        }
        catch (ArgumentException exception)
        {
            return Problems.BadRequest(exception.Message);
        }
    }

    private static async Task<IResult> GetStatusAsync(HttpContext context, string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        if (!InstanceQueryParameters.TryGetBool(query, "showHistory", false, out var showHistory, out var error)
            || !InstanceQueryParameters.TryGetBool(query, "showHistoryOutput", false, out var showHistoryOutput, out error)
            || !InstanceQueryParameters.TryGetBool(query, "showInput", true, out var showInput, out error)
            || !InstanceQueryParameters.TryGetBool(query, "returnInternalServerErrorOnFailure", false, out var failureIs500, out error))
        {
            return error!;
        }

        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return Problems.NotFound($"No orchestration instance with id '{instanceId}' exists.");
        }

        var history = showHistory ? await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken) : null;
        var payload = StatusResponsePayload.From(metadata, showInput, showHistoryOutput, history);
        switch (metadata.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended:
                // The async 202 pattern: Location is this URL, and a hint not to poll in a tight loop.
                context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{context.Request.Path}{context.Request.QueryString}";
                context.Response.Headers.RetryAfter = "5";
                return Results.Json(payload, JsonSerializerOptions.Web, statusCode: StatusCodes.Status202Accepted);
            case OrchestrationRuntimeStatus.Failed when failureIs500:
                return Results.Json(payload, JsonSerializerOptions.Web, statusCode: StatusCodes.Status500InternalServerError);
            default:
                return Results.Json(payload, JsonSerializerOptions.Web);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        if (!InstanceQueryParameters.TryGetStatuses(query, out var statuses, out var error)
            || !InstanceQueryParameters.TryGetTime(query, "createdTimeFrom", out var from, out error)
            || !InstanceQueryParameters.TryGetTime(query, "createdTimeTo", out var to, out error)
            || !InstanceQueryParameters.TryGetPageSize(query, out var top, out error)
            || !InstanceQueryParameters.TryGetBool(query, "showInput", true, out var showInput, out error))
        {
            return error!;
        }

        var continuation = context.Request.Headers["x-ms-continuation-token"].FirstOrDefault();
        var filter = new OrchestrationQuery(from, to, statuses, null, query["instanceIdPrefix"].FirstOrDefault(), top, FetchInputsAndOutputs: true);
        await foreach (var page in client.GetAllInstancesAsync(filter).AsPages(string.IsNullOrEmpty(continuation) ? null : continuation, top).WithCancellation(cancellationToken))
        {
            if (page.ContinuationToken is not null)
            {
                context.Response.Headers["x-ms-continuation-token"] = page.ContinuationToken;
            }

            return Results.Json(page.Values.Select(instance => StatusResponsePayload.From(instance, showInput, showHistoryOutput: false)), JsonSerializerOptions.Web);
        }

        return Results.Json(Array.Empty<StatusResponsePayload>(), JsonSerializerOptions.Web);
    }

    private static async Task<IResult> RaiseEventAsync(
        HttpContext context, string instanceId, string eventName, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is null)
        {
            return Problems.NotFound($"No orchestration instance with id '{instanceId}' exists.");
        }

        if (existing.IsCompleted)
        {
            return Problems.Gone($"The orchestration instance '{instanceId}' is {existing.RuntimeStatus}; it takes no more events.");
        }

        var (payload, error) = await JsonRequestBody.ReadAsync(context.Request, required: false, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        return await ForInstanceAsync(instanceId, () => client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken));
    }

    private static Task<IResult> TerminateAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken)
        => ForLiveInstanceAsync(instanceId, client, () => client.TerminateInstanceAsync(instanceId, reason, cancellationToken), cancellationToken);

    private static Task<IResult> SuspendAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken)
        => ForLiveInstanceAsync(instanceId, client, () => client.SuspendInstanceAsync(instanceId, reason, cancellationToken), cancellationToken);

    private static Task<IResult> ResumeAsync(string instanceId, string? reason, DurableTaskClient client, CancellationToken cancellationToken)
        => ForLiveInstanceAsync(instanceId, client, () => client.ResumeInstanceAsync(instanceId, reason, cancellationToken), cancellationToken);

    private static async Task<IResult> RestartAsync(HttpContext context, string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!InstanceQueryParameters.TryGetBool(context.Request.Query, "restartWithNewInstanceId", true, out var newId, out var error))
        {
            return error!;
        }

        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is null)
        {
            return Problems.NotFound($"No orchestration instance with id '{instanceId}' exists.");
        }

        if (!existing.RuntimeStatus.IsFinished())
        {
            return Problems.Conflict($"The orchestration instance '{instanceId}' is {existing.RuntimeStatus}; only a finished instance can be restarted.");
        }

        try
        {
            return CheckStatusResponse(context, await client.RestartAsync(instanceId, newId, cancellationToken));
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            return Problems.Conflict(exception.Message);
        }
    }

    private static async Task<IResult> PurgeAsync(string instanceId, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is null)
        {
            return Problems.NotFound($"No orchestration instance with id '{instanceId}' exists.");
        }

        if (!existing.RuntimeStatus.IsFinished())
        {
            return Problems.Conflict($"The orchestration instance '{instanceId}' is {existing.RuntimeStatus} and cannot be purged until it finishes.");
        }

        var result = await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        return result.PurgedInstanceCount == 0
            ? Problems.NotFound($"No orchestration instance with id '{instanceId}' exists.")
            : Results.Json(new { instancesDeleted = result.PurgedInstanceCount });
    }

    private static async Task<IResult> PurgeByFilterAsync(HttpContext context, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        if (!InstanceQueryParameters.TryGetTime(query, "createdTimeFrom", out var from, out var error)
            || !InstanceQueryParameters.TryGetTime(query, "createdTimeTo", out var to, out error)
            || !InstanceQueryParameters.TryGetStatuses(query, out var statuses, out error))
        {
            return error!;
        }

        if (from is null)
        {
            return Problems.BadRequest("Purging by filter needs the query parameter 'createdTimeFrom'.");
        }

        if (statuses?.Where(status => !status.IsFinished()).ToList() is { Count: > 0 } unfinished)
        {
            return Problems.BadRequest($"Only finished instances can be purged; {string.Join(", ", unfinished)} is not a finished status.");
        }

        var result = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(from, to, statuses ?? RunStatuses.Finished), cancellationToken);
        return result.PurgedInstanceCount == 0
            ? Problems.NotFound("No finished instance matches the filter.")
            : Results.Json(new { instancesDeleted = result.PurgedInstanceCount });
    }

    // Backends differ in what they raise for an unknown or finished instance (the gRPC sidecar may accept it and drop
    // the message): the state is read first so every backend answers alike; the catch covers a change in between.
    private static async Task<IResult> ForLiveInstanceAsync(string instanceId, DurableTaskClient client, Func<Task> operation, CancellationToken cancellationToken)
    {
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is null)
        {
            return Problems.NotFound($"No orchestration instance with id '{instanceId}' exists.");
        }

        if (existing.RuntimeStatus.IsFinished())
        {
            return Problems.Gone($"The orchestration instance '{instanceId}' is {existing.RuntimeStatus} and no longer accepts this operation.");
        }

        return await ForInstanceAsync(instanceId, operation);
    }

    private static async Task<IResult> ForInstanceAsync(string instanceId, Func<Task> operation)
    {
        try
        {
            await operation();
            return Results.Accepted();
        }
        catch (ArgumentException)
        {
            return Problems.NotFound($"No orchestration instance with id '{instanceId}' exists.");
        }
        catch (InvalidOperationException exception)
        {
            return Problems.Gone(exception.Message);
        }
    }
}
