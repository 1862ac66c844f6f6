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
    public static async Task<bool> ScheduleAsync(DurableTaskClient client, CancellationToken cancellationToken = default)
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
                input: null,
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
