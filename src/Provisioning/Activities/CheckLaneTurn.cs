using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Provisioning.Runs;

namespace Provisioning.Activities;

/// <summary>
/// Reads a run's lane (the event-started runs of one container group, see <c>DeploymentLane</c>): whether a newer
/// run exists, which supersedes this one, and how many earlier runs are still going, which this one waits for.
/// Only reads instance ids and statuses; ids within a lane sort in event-time order.
/// </summary>
public sealed class CheckLaneTurn(DurableTaskClient client) : TaskActivity<LaneTurnRequest, LaneTurn>
{
    private static readonly OrchestrationRuntimeStatus[] Deployed = [OrchestrationRuntimeStatus.Completed];

    // Event Grid stamps event times with Azure's clock and runs are created by this host's: a newer event's run may
    // carry a creation time a little before the older event's time.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(10);

    /// <inheritdoc />
    public override async Task<LaneTurn> RunAsync(TaskActivityContext context, LaneTurnRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        string? newest = null;
        string? oldestAhead = null;
        var ahead = 0;
        await foreach (var id in IdsAsync(new OrchestrationQuery { Statuses = RunStatuses.Going, InstanceIdPrefix = input.InstanceIdPrefix, PageSize = 1000 }))
        {
            var order = string.CompareOrdinal(id, input.InstanceId);
            if (order > 0 && (newest is null || string.CompareOrdinal(id, newest) > 0))
            {
                newest = id;
            }
            else if (order < 0)
            {
                ahead++;
                oldestAhead ??= id;
            }
        }

        // A newer event whose run already finished (this event was delivered late) supersedes this one as well.
        if (newest is null)
        {
            var since = input.EventTime is { } time ? time - ClockSkew : (DateTimeOffset?)null;
            await foreach (var id in IdsAsync(new OrchestrationQuery { Statuses = Deployed, CreatedFrom = since, InstanceIdPrefix = input.InstanceIdPrefix, PageSize = 1000 }))
            {
                if (string.CompareOrdinal(id, input.InstanceId) > 0 && (newest is null || string.CompareOrdinal(id, newest) > 0))
                {
                    newest = id;
                }
            }
        }

        return new LaneTurn(newest, ahead, oldestAhead);
    }

    private async IAsyncEnumerable<string> IdsAsync(OrchestrationQuery query)
    {
        await foreach (var instance in client.GetAllInstancesAsync(query))
        {
            yield return instance.InstanceId;
        }
    }
}

/// <summary>Which run asks about which lane.</summary>
/// <param name="InstanceIdPrefix">The lane's id prefix.</param>
/// <param name="InstanceId">The asking run.</param>
/// <param name="EventTime">When the asking run's event happened, if known.</param>
public sealed record LaneTurnRequest(string InstanceIdPrefix, string InstanceId, DateTimeOffset? EventTime);

/// <summary>What a run's lane looks like.</summary>
/// <param name="NewerRunId">The newest run of a newer event, going or completed; null when there is none.</param>
/// <param name="RunsAhead">How many runs of earlier events are still going.</param>
/// <param name="OldestAhead">The oldest of those, for the status message.</param>
public sealed record LaneTurn(string? NewerRunId, int RunsAhead, string? OldestAhead);
