using Microsoft.DurableTask.Client;
using Provisioning.Requests;
using Provisioning.Runs;

namespace Provisioning.Drift;

/// <summary>
/// The drift routes both hosts serve, host-neutral (as <see cref="ProvisioningRequests"/> is for the provisioning
/// routes): <c>POST /api/drift[?dryRun=true]</c> starts the one drift run, <c>GET /api/drift/last</c> reads it. Each host
/// reads the request, calls these and writes the answer, so both answer the same.
/// </summary>
public static class DriftRequests
{
    /// <summary>The answer to <c>GET /api/drift/last</c> before any drift run.</summary>
    public static RequestProblem NoScanYet { get; } =
        RequestProblem.NotFound("No drift scan has run yet: POST /api/drift, or set Provisioning:Drift:Schedule.");

    /// <summary>Starts a drift run now, unless one is still going (the timer's or another call's): then 409.</summary>
    /// <param name="client">The engine's client.</param>
    /// <param name="dryRun">Find drift without repairing it.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>Null when it started (its id is <see cref="DriftRepairNames.InstanceId"/>); else the problem to answer with.</returns>
    public static async Task<RequestProblem?> StartAsync(DurableTaskClient client, bool dryRun, CancellationToken cancellationToken)
        => await DriftRepairScheduler.ScheduleAsync(client, new DriftRequest(dryRun), cancellationToken)
            ? null
            : RequestProblem.Conflict($"A drift run ({DriftRepairNames.InstanceId}) is still going; read its report at /api/drift/last.");

    /// <summary>The drift run and its report; null before any (answer <see cref="NoScanYet"/>).</summary>
    /// <param name="client">The engine's client.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<DriftLastRun?> LastAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var run = await client.GetInstanceAsync(DriftRepairNames.InstanceId, getInputsAndOutputs: true, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var report = run.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? run.ReadOutputAs<DriftReport>() : run.ReadCustomStatusAs<DriftReport>();
        return new DriftLastRun(run.InstanceId, run.RuntimeStatus.ToString(), run.RuntimeStatus.IsFinished(), run.FailureDetails?.ErrorMessage, run.CreatedAt, run.LastUpdatedAt, report);
    }
}
