using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Provisioning.Drift;

namespace Provisioning.Functions.Timers;

/// <summary>
/// The drift-repair timer: on the NCRONTAB schedule of the app setting <c>Provisioning__Drift__Schedule</c> (six fields,
/// e.g. <c>0 */15 * * * *</c>), it starts the drift-repair orchestration (<see cref="DriftRepairNames"/>) unless one is still going.
/// </summary>
/// <param name="logger">Logs what a tick did.</param>
public sealed partial class DriftRepairFunction(ILogger<DriftRepairFunction> logger)
{
    /// <summary>The function's name (not the orchestrator's: function and orchestrator names share one namespace).</summary>
    public const string FunctionName = "DriftRepairTimer";

    /// <summary>The schedule expression: the app setting that holds the NCRONTAB schedule.</summary>
    public const string Schedule = "%Provisioning__Drift__Schedule%";

    /// <summary>Runs a tick.</summary>
    /// <param name="timer">The tick.</param>
    /// <param name="client">The Durable client.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    [Function(FunctionName)]
    public async Task RepairDrift([TimerTrigger(Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        if (await DriftRepairScheduler.ScheduleAsync(client, cancellationToken))
        {
            Started(logger, DriftRepairNames.Orchestrator, DriftRepairNames.InstanceId);
        }
        else
        {
            StillGoing(logger, DriftRepairNames.InstanceId);
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Started {Orchestrator} as {InstanceId}")]
    private static partial void Started(ILogger logger, string orchestrator, string instanceId);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Drift repair {InstanceId} is still going; this tick starts nothing")]
    private static partial void StillGoing(ILogger logger, string instanceId);
}
