using Cronos;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Provisioning.Drift;

/// <summary>
/// The self-hosted drift timer: on the NCRONTAB schedule <c>Provisioning:Drift:Schedule</c> (six fields, seconds first,
/// as a Functions <c>TimerTrigger</c> reads it; evaluated in UTC by Cronos) it starts the drift run unless one is still
/// going (<see cref="DriftRepairScheduler"/>). Without a schedule it does nothing.
/// </summary>
/// <param name="schedule">The NCRONTAB expression; null or empty for no timer.</param>
/// <param name="client">Starts the drift run.</param>
/// <param name="time">The clock.</param>
/// <param name="logger">Logs ticks.</param>
public sealed partial class DriftTimer(string? schedule, DurableTaskClient client, TimeProvider time, ILogger<DriftTimer> logger) : BackgroundService
{
    /// <summary>The configuration key of the schedule.</summary>
    public const string ScheduleKey = "Provisioning:Drift:Schedule";

    /// <summary>Parses a six-field NCRONTAB expression.</summary>
    /// <exception cref="InvalidOperationException">It is not one (the message names the setting and the expected form).</exception>
    public static CronExpression Parse(string schedule)
    {
        try
        {
            return CronExpression.Parse(schedule, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException error)
        {
            throw new InvalidOperationException(
                $"{ScheduleKey} is '{schedule}', not an NCRONTAB expression with six fields (second minute hour day month day-of-week), e.g. '0 */15 * * * *': {error.Message}",
                error);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            return;
        }

        var cron = Parse(schedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (cron.GetNextOccurrence(now.UtcDateTime) is not { } next)
            {
                return;
            }

            await Task.Delay(next - now.UtcDateTime, time, stoppingToken);
            try
            {
                var started = await DriftRepairScheduler.ScheduleAsync(client, stoppingToken);
                Ticked(logger, started, DriftRepairNames.InstanceId);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // A tick that cannot reach the engine is logged; the next tick tries again.
                TickFailed(logger, error, DriftRepairNames.InstanceId);
            }
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Drift timer tick: started {Started} ({InstanceId})")]
    private static partial void Ticked(ILogger logger, bool started, string instanceId);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Drift timer tick could not start {InstanceId}")]
    private static partial void TickFailed(ILogger logger, Exception error, string instanceId);
}
