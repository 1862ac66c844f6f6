using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Provisioning.Runs;

namespace Provisioning.Drift;

/// <summary>What a drift-repair timer tick does: start the drift-repair orchestration, unless it is still going.</summary>
public static class DriftRepairScheduler
{
    /// <summary>
    /// Starts <see cref="DriftRepairNames.Orchestrator"/> under <see cref="DriftRepairNames.InstanceId"/> unless an instance
    /// of that id is pending, running or suspended; a finished one is replaced.
    /// </summary>
    /// <param name="client">The client to start it with.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns><c>true</c> when it started; <c>false</c> when one was still going.</returns>
    public static Task<bool> ScheduleAsync(DurableTaskClient client, CancellationToken cancellationToken = default)
        => ScheduleAsync(client, null, cancellationToken);

    /// <summary>As <see cref="ScheduleAsync(DurableTaskClient, CancellationToken)"/>, with the drift run's input (e.g. a dry run).</summary>
    /// <param name="client">The client to start it with.</param>
    /// <param name="request">The drift run's input; null for a scan that repairs.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns><c>true</c> when it started; <c>false</c> when one was still going.</returns>
    public static async Task<bool> ScheduleAsync(DurableTaskClient client, DriftRequest? request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var existing = await client.GetInstanceAsync(DriftRepairNames.InstanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not null && RunStatuses.Going.Contains(existing.RuntimeStatus))
        {
            return false;
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                DriftRepairNames.Orchestrator,
                request,
                new StartOrchestrationOptions(DriftRepairNames.InstanceId) { DedupeStatuses = RunStatuses.RefuseWhileGoing },
                cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // Another tick (another instance of the app) started it meanwhile.
            return false;
        }
    }
}
