using Microsoft.DurableTask.Client;
using Provisioning.Host.Http;

namespace Provisioning.Host.Dashboard;

/// <summary>The runs list and one run's page, read through the host's <see cref="DurableTaskClient"/> (whichever backend).</summary>
internal static class DashboardRuns
{
    private const int DefaultPageSize = 25;
    private const int MaxPageSize = 200;

    /// <summary>
    /// <c>GET /dashboard/api/runs?status=&amp;template=&amp;lane=&amp;from=&amp;to=&amp;top=</c>, continuation in the
    /// <c>x-ms-continuation-token</c> header as the Durable HTTP API. Status, lane (an id prefix) and time filter in the
    /// store; the template is in the input, so it filters within each page: a page can hold fewer rows than asked for
    /// and still have a next one.
    /// </summary>
    public static async Task<IResult> ListAsync(HttpContext context, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        if (!InstanceQueryParameters.TryGetStatuses(query, out var statuses, out var error)
            || !InstanceQueryParameters.TryGetTime(query, "createdTimeFrom", out var from, out error)
            || !InstanceQueryParameters.TryGetTime(query, "createdTimeTo", out var to, out error))
        {
            return error!;
        }

        var top = int.TryParse(query["top"].FirstOrDefault(), out var size) && size > 0 ? Math.Min(size, MaxPageSize) : DefaultPageSize;
        var template = query["template"].FirstOrDefault();
        var lane = query["lane"].FirstOrDefault();
        var continuation = context.Request.Headers["x-ms-continuation-token"].FirstOrDefault();
        var filter = new OrchestrationQuery(from, to, statuses, null, string.IsNullOrEmpty(lane) ? null : lane, top, FetchInputsAndOutputs: true);
        await foreach (var page in client.GetAllInstancesAsync(filter).AsPages(string.IsNullOrEmpty(continuation) ? null : continuation, top).WithCancellation(cancellationToken))
        {
            if (page.ContinuationToken is not null)
            {
                context.Response.Headers["x-ms-continuation-token"] = page.ContinuationToken;
            }

            var rows = page.Values.Select(RunSummary.From)
                .Where(row => string.IsNullOrEmpty(template) || string.Equals(row.Template, template, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(row => row.CreatedAt)
                .ToList();
            return Results.Json(rows, DashboardEndpoints.Json);
        }

        return Results.Json(Array.Empty<RunSummary>(), DashboardEndpoints.Json);
    }

    /// <summary><c>GET /dashboard/api/runs/{instanceId}</c>: the row, its input, custom status, output, timeline and the ARM calls seen.</summary>
    public static async Task<IResult> GetAsync(string instanceId, DurableTaskClient client, ArmCallLog armCalls, IServiceProvider services, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return Problems.NotFound($"No run with id '{instanceId}' exists.");
        }

        var history = await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken);
        var finished = metadata.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
        var detail = new RunDetail(
            RunSummary.From(metadata),
            StatusResponsePayload.ParseOrString(metadata.SerializedInput),
            StatusResponsePayload.ParseOrString(metadata.SerializedCustomStatus),
            metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? StatusResponsePayload.ParseOrString(metadata.SerializedOutput) : null,
            metadata.FailureDetails?.ErrorMessage ?? (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Terminated ? metadata.SerializedOutput : null),
            RunSummary.EventTimeOf(instanceId),
            RunTimeline.From(history, finished),
            armCalls.For(instanceId),
            await SandboxEventCause.FindAsync(services, instanceId, cancellationToken));
        return Results.Json(detail, DashboardEndpoints.Json);
    }
}
