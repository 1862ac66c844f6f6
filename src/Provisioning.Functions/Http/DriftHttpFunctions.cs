using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Provisioning.Drift;
using Provisioning.Requests;

namespace Provisioning.Functions.Http;

/// <summary>
/// The drift routes, with a function key, answering as the self-hosted host's do (the request handling is the domain's
/// <see cref="DriftRequests"/>): run a scan now, read the last report. The timer (<c>DriftRepairTimer</c>) starts the same
/// drift run under the same id, so a call while it runs is refused rather than doubled.
/// </summary>
public static class DriftHttpFunctions
{
    /// <summary>The scan function's name.</summary>
    public const string ScanFunctionName = "ScanDriftNow";

    /// <summary>The last-report function's name.</summary>
    public const string LastFunctionName = "GetLastDriftReport";

    /// <summary>
    /// <c>POST /api/drift[?dryRun=true]</c>: starts the drift run and answers 202 with its management URLs; 409 while one
    /// is still going; 400 when <c>dryRun</c> is neither true nor false.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="client">The Durable client.</param>
    /// <param name="context">The invocation.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    [Function(ScanFunctionName)]
    public static async Task<IResult> ScanDrift(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "drift")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        FunctionContext context,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dryRun = false;
        if (request.Query.TryGetValue("dryRun", out var value) && !bool.TryParse(value, out dryRun))
        {
            return FunctionResults.Problem(RequestProblem.BadRequest($"dryRun is '{value}': write dryRun=true to find drift without repairing it, or leave it out."));
        }

        return await DriftRequests.StartAsync(client, dryRun, cancellationToken) is { } problem
            ? FunctionResults.Problem(problem)
            : FunctionResults.CheckStatus(client, request, context, DriftRepairNames.InstanceId);
    }

    /// <summary><c>GET /api/drift/last</c>: the drift run and its report (the report so far while it repairs); 404 before any.</summary>
    /// <param name="request">The request.</param>
    /// <param name="client">The Durable client.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    [Function(LastFunctionName)]
    public static async Task<IResult> GetLastDriftReport(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "drift/last")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
        => await DriftRequests.LastAsync(client, cancellationToken) is { } last
            ? Results.Json(last, JsonSerializerOptions.Web)
            : FunctionResults.Problem(DriftRequests.NoScanYet);
}
