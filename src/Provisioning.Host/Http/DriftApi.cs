using System.Text.Json;
using Microsoft.DurableTask.Client;
using Provisioning.Drift;
using Provisioning.Runs;

namespace Provisioning.Host.Http;

/// <summary>The drift routes: run a scan now, read the last report.</summary>
public static class DriftApi
{
    /// <summary>Maps <c>POST /api/drift[?dryRun=true]</c> and <c>GET /api/drift/last</c> (function key).</summary>
    public static IEndpointRouteBuilder MapDriftApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/drift").AddEndpointFilter(new FunctionKeyFilter(KeyScope.Function));
        api.MapPost(string.Empty, ScanAsync);
        api.MapGet("/last", LastAsync);
        return endpoints;
    }

    // 202 with the drift run's status URL when it started; 409 while one is still going (the timer's or another call's).
    private static async Task<IResult> ScanAsync(HttpContext context, DurableTaskClient client, bool? dryRun, CancellationToken cancellationToken)
    {
        var started = await DriftRepairScheduler.ScheduleAsync(client, new DriftRequest(dryRun ?? false), cancellationToken);
        return started
            ? DurableHttpApi.CheckStatusResponse(context, DriftRepairNames.InstanceId)
            : Problems.Conflict($"A drift run ({DriftRepairNames.InstanceId}) is still going; read its report at /api/drift/last.");
    }

    // The drift run's report: its output once it ended, the report so far (custom status) while it repairs.
    private static async Task<IResult> LastAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var run = await client.GetInstanceAsync(DriftRepairNames.InstanceId, getInputsAndOutputs: true, cancellationToken);
        if (run is null)
        {
            return Problems.NotFound("No drift scan has run yet: POST /api/drift, or set Provisioning:Drift:Schedule.");
        }

        var report = run.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? run.ReadOutputAs<DriftReport>() : run.ReadCustomStatusAs<DriftReport>();
        return Results.Json(
            new
            {
                instanceId = run.InstanceId,
                runtimeStatus = run.RuntimeStatus.ToString(),
                finished = run.RuntimeStatus.IsFinished(),
                failure = run.FailureDetails?.ErrorMessage,
                createdAt = run.CreatedAt,
                lastUpdatedAt = run.LastUpdatedAt,
                report,
            },
            JsonSerializerOptions.Web);
    }
}
