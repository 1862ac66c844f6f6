using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>
/// One generation of an instance, live in memory: its committed history and the context whose code is parked at
/// its current awaits. Built by replaying the stored history; kept between episodes while this process holds the
/// instance, so an episode only runs the new events (replay happens after a restart or a cache eviction).
/// </summary>
internal sealed class OrchestrationExecution
{
    private readonly EmbeddedOrchestrationContext _context;
    private FailureRecord? _replayFailure;

    private OrchestrationExecution(string executionId, EmbeddedOrchestrationContext context, int historyCount)
    {
        ExecutionId = executionId;
        _context = context;
        HistoryCount = historyCount;
    }

    /// <summary>The generation this execution is.</summary>
    public string ExecutionId { get; }

    /// <summary>How many history events are committed for it.</summary>
    public int HistoryCount { get; private set; }

    /// <summary>The instance's stored state after this execution's last committed episode (set by the worker).</summary>
    public Storage.InstanceRecord? State { get; set; }

    /// <summary>
    /// The task whose outcome alone can run the next episode, as of the last commit; <c>null</c> when the code waits
    /// for more than one thing. Read by other threads while the execution sits in the cache, so it is a plain value.
    /// </summary>
    public int? SoleWait { get; private set; }

    /// <summary>Rebuilds the execution's state by replaying <paramref name="history"/>.</summary>
    public static OrchestrationExecution Replay(string executionId, EmbeddedOrchestrationContext context, IReadOnlyList<HistoryEvent> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var execution = new OrchestrationExecution(executionId, context, history.Count);
        try
        {
            foreach (var historyEvent in history)
            {
                context.Apply(historyEvent, replaying: true);
            }
        }
        catch (DurableTask.Core.Exceptions.NonDeterministicOrchestrationException exception)
        {
            execution._replayFailure = FailureRecord.FromException(exception);
        }

        return execution;
    }

    /// <summary>Runs one episode: delivers <paramref name="received"/> at time <paramref name="now"/> and collects the outcome.</summary>
    public EpisodeResult RunEpisode(DateTimeOffset now, IReadOnlyList<HistoryEvent> received)
    {
        ArgumentNullException.ThrowIfNull(received);
        var appended = new List<HistoryEvent>(received.Count + 4) { new(HistoryEventType.OrchestratorStarted, now) };
        EpisodeOutcome outcome;
        IReadOnlyList<OrchestratorAction> actions = [];
        if (_replayFailure is not null)
        {
            appended.AddRange(received);
            outcome = EpisodeOutcome.Failed(_replayFailure);
        }
        else
        {
            try
            {
                _context.Apply(appended[0], replaying: false);
                foreach (var historyEvent in received)
                {
                    appended.Add(historyEvent);
                    _context.Apply(historyEvent, replaying: false);
                }

                actions = _context.TakeNewActions();
                appended.AddRange(actions.Select(action => Record(action, now)));
                outcome = _context.GetOutcome();
            }
#pragma warning disable CA1031 // Non-determinism, or code that throws outside its own tasks (async void): the instance fails with it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                actions = [];
                outcome = EpisodeOutcome.Failed(FailureRecord.FromException(exception));
            }
        }

        switch (outcome.ContinuesAsNew ? null : (OrchestrationRuntimeStatus?)outcome.Status)
        {
            case OrchestrationRuntimeStatus.Completed:
                appended.Add(new HistoryEvent(HistoryEventType.ExecutionCompleted, now) { Data = outcome.Output });
                break;
            case OrchestrationRuntimeStatus.Failed:
                appended.Add(new HistoryEvent(HistoryEventType.ExecutionFailed, now) { Failure = outcome.Failure });
                break;
            case null:
                appended.Add(new HistoryEvent(HistoryEventType.ContinuedAsNew, now) { Data = outcome.NextInput });
                break;
            default:
                break;
        }

        return new EpisodeResult(appended, actions, outcome, _context.CustomStatus);
    }

    /// <summary>Records that the episode's events are now committed.</summary>
    public void Committed(EpisodeResult episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        HistoryCount += episode.AppendedHistory.Count;
        SoleWait = _replayFailure is null ? _context.SoleWait() : null;
    }

    private static HistoryEvent Record(OrchestratorAction action, DateTimeOffset now) => new(action.RecordedAs, now)
    {
        TaskId = action.TaskId,
        Name = action.Name,
        Data = action.Input,
        FireAt = action.Kind == OrchestratorActionKind.CreateTimer ? action.FireAt : null,
        ChildInstanceId = action.ChildInstanceId,
    };
}
