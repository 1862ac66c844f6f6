using System.Text.Json;
using Microsoft.DurableTask.Client;
using Provisioning.Drift;

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
        => await DriftRequests.StartAsync(client, dryRun ?? false, cancellationToken) is { } problem
            ? Problems.From(problem)
            : DurableHttpApi.CheckStatusResponse(context, DriftRepairNames.InstanceId);

    // The drift run's report: its output once it ended, the report so far (custom status) while it repairs (shared with the Functions app).
    private static async Task<IResult> LastAsync(DurableTaskClient client, CancellationToken cancellationToken)
        => await DriftRequests.LastAsync(client, cancellationToken) is { } last
            ? Results.Json(last, JsonSerializerOptions.Web)
            : Problems.From(DriftRequests.NoScanYet);
}
