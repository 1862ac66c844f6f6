using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.Diagnostics;
using Provisioning.Durable.Embedded.Execution;
using Provisioning.Durable.Embedded.History;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>
/// Turns one leased instance and its messages into one episode and commits it: control messages (terminate,
/// suspend, resume) act on the instance; the other events are replayed into the orchestration's code; what the
/// code asks for becomes activities, timers, child instances and messages, committed with the new history and
/// status in one transaction.
/// </summary>
internal sealed class OrchestrationWorker(EngineRuntime runtime)
{
    public async Task ProcessAsync(OrchestrationWorkItem item, CancellationToken cancellationToken)
    {
        var instance = item.Instance;
        var now = runtime.Time.GetUtcNow();
        var consumed = new List<long>(item.Messages.Count);
        var events = new List<HistoryEvent>(item.Messages.Count);
        foreach (var message in item.Messages)
        {
            if (message.ExecutionId is null || message.ExecutionId == instance.ExecutionId)
            {
                events.Add(message.Event);
            }

            consumed.Add(message.Id);
        }

        if (instance.Status.IsTerminal())
        {
            // Late timers and answers addressed to a finished instance are dropped.
            await CommitAsync(item.Instance, new EpisodeCommit(runtime.Worker, instance, false, [], consumed, [], [], []), 0, cancellationToken);
            return;
        }

        if (events.FirstOrDefault(e => e.Type == HistoryEventType.ExecutionTerminated) is { } termination)
        {
            await TerminateAsync(item, termination, consumed, now, cancellationToken);
            return;
        }

        var suspended = instance.Status == OrchestrationRuntimeStatus.Suspended;
        foreach (var control in events.Where(e => e.IsControl))
        {
            suspended = control.Type == HistoryEventType.ExecutionSuspended;
        }

        var started = instance.HistoryCount > 0 || events.Any(e => e.Type == HistoryEventType.ExecutionStarted);
        if (suspended || !events.Any(e => !e.IsControl))
        {
            // Suspended: only the control messages are consumed; the rest stay queued until the instance resumes.
            var controlIds = item.Messages.Where(m => m.Event.IsControl || (m.ExecutionId is not null && m.ExecutionId != instance.ExecutionId)).Select(m => m.Id).ToList();
            var status = suspended ? OrchestrationRuntimeStatus.Suspended : started ? OrchestrationRuntimeStatus.Running : OrchestrationRuntimeStatus.Pending;
            var state = instance with { Status = status, LastUpdatedAt = now };
            await CommitAsync(item.Instance, new EpisodeCommit(runtime.Worker, state, false, [], controlIds, [], [], []), 0, cancellationToken);
            return;
        }

        await RunEpisodeAsync(item, events, consumed, now, cancellationToken);
    }

    private async Task RunEpisodeAsync(OrchestrationWorkItem item, List<HistoryEvent> events, List<long> consumed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var instance = item.Instance;
        using var span = StartEpisodeSpan(instance, events.Count);

        if (!runtime.Executions.TryTake(instance.InstanceId, instance.ExecutionId, instance.HistoryCount, out var execution))
        {
            execution = await ReplayAsync(instance, cancellationToken);
        }

        var episode = execution!.RunEpisode(now, events);
        var commit = BuildCommit(instance, episode, consumed, now);
        var activities = await CommitAsync(instance, commit, episode.NewActions.Count, cancellationToken);
        if (activities is not null)
        {
            Keep(execution, episode, commit.State);
            span?.SetTag("durable.status", episode.Outcome.Status.ToString());
            Dispatch(activities);
        }
    }

    /// <summary>
    /// Creates a client's new instance with its first episode already run: the episode runs here, in memory, and
    /// commits with the creation, so a new instance costs one synced commit where the creation and the dispatcher's
    /// first episode took two (and no lease round trip). Nothing is published before that commit: its activities are
    /// stored leased to this worker and start once it is durable. The caller checks that this process dispatches and
    /// that the instance starts now.
    /// </summary>
    /// <exception cref="OrchestrationAlreadyExistsException">The id is taken; nothing was written.</exception>
    public async Task CreateWithFirstEpisodeAsync(NewInstance instance, CancellationToken cancellationToken)
    {
        var created = new InstanceRecord(instance.InstanceId, instance.Name, instance.ExecutionId, OrchestrationRuntimeStatus.Pending, instance.CreatedAt, instance.CreatedAt)
        {
            Input = instance.Input,
            Parent = instance.Parent,
            TraceParent = instance.TraceParent,
        };
        using var span = StartEpisodeSpan(created, 1);

        var execution = await ReplayAsync(created, cancellationToken);
        var episode = execution.RunEpisode(instance.CreatedAt, [instance.StartMessage.Event]);
        var commit = BuildCommit(created, episode, [], instance.CreatedAt);
        var activities = await runtime.Store.CreateInstanceWithEpisodeAsync(instance, commit, cancellationToken);
        Keep(execution, episode, commit.State);
        Published(created, commit, episode.NewActions.Count);
        span?.SetTag("durable.status", episode.Outcome.Status.ToString());
        Dispatch(activities);
    }

    /// <summary>
    /// The fast path of a sequential step: when the cached execution of <paramref name="item"/>'s instance waits for
    /// this call alone, runs its next episode in memory and commits it together with the removal of the call (one
    /// synced commit, no outcome message, no lease round trip). Returns <c>null</c> when it does not apply (the caller
    /// then records the outcome the ordinary way); otherwise what the store did and the activity calls the episode
    /// stored leased to this worker, which the caller starts.
    /// </summary>
    public async Task<(ActivityEpisodeResult Result, IReadOnlyList<ActivityWorkItem> Activities)?> TryCompleteActivityAsync(
        ActivityWorkItem item, HistoryEvent outcome, CancellationToken cancellationToken)
    {
        if (!runtime.Executions.TryTakeWaitingFor(item.InstanceId, item.ExecutionId, item.TaskId, out var execution))
        {
            return null;
        }

        var instance = execution!.State!;
        using var span = StartEpisodeSpan(instance, 1);

        var now = runtime.Time.GetUtcNow();
        var episode = execution.RunEpisode(now, [outcome]);
        var commit = BuildCommit(instance, episode, [], now);
        var message = new OrchestrationMessage(0, item.InstanceId, item.ExecutionId, outcome, outcome.Timestamp);
        var (result, activities) = await runtime.Store.CompleteActivityWithEpisodeAsync(item, message, commit, instance.HistoryCount, now, cancellationToken);
        if (result == ActivityEpisodeResult.Committed)
        {
            // The execution goes back to the cache before its next activity can finish.
            Keep(execution, episode, commit.State);
            Published(instance, commit, episode.NewActions.Count);
            span?.SetTag("durable.status", episode.Outcome.Status.ToString());
        }
        else if (result == ActivityEpisodeResult.Queued)
        {
            // The instance moved on meanwhile (or a message waits for it): the episode just run is discarded with its
            // execution, and the dispatcher runs the outcome from the queue, replaying.
            runtime.OrchestrationSignal.Set();
        }

        return (result, activities);
    }

    private EpisodeCommit BuildCommit(InstanceRecord instance, EpisodeResult episode, List<long> consumed, DateTimeOffset now)
    {
        var outcome = episode.Outcome;
        var messages = new List<OrchestrationMessage>();
        var activities = new List<ActivityWorkItem>();
        var children = new List<NewInstance>();
        foreach (var action in episode.NewActions)
        {
            switch (action.Kind)
            {
                case OrchestratorActionKind.ScheduleActivity:
                    activities.Add(new ActivityWorkItem(0, instance.InstanceId, instance.ExecutionId, action.TaskId, action.Name!, action.Input) { TraceParent = instance.TraceParent });
                    break;
                case OrchestratorActionKind.CreateTimer:
                    messages.Add(new OrchestrationMessage(
                        0,
                        instance.InstanceId,
                        instance.ExecutionId,
                        new HistoryEvent(HistoryEventType.TimerFired, action.FireAt) { TaskId = action.TaskId, FireAt = action.FireAt },
                        action.FireAt));
                    break;
                case OrchestratorActionKind.SendEvent:
                    messages.Add(new OrchestrationMessage(
                        0,
                        action.ChildInstanceId!,
                        null,
                        new HistoryEvent(HistoryEventType.EventRaised, now) { Name = action.Name, Data = action.Input },
                        now));
                    break;
                default:
                    children.Add(new NewInstance(
                        action.ChildInstanceId!,
                        action.Name!,
                        NewExecutionId(),
                        action.Input,
                        now,
                        now,
                        new ParentReference(instance.Name, instance.InstanceId, instance.ExecutionId, action.TaskId))
                    {
                        // A child's spans hang under the episode that created it (the current span), in the parent's trace.
                        TraceParent = EngineTraceNames.TraceParentOf(null) ?? instance.TraceParent,
                    });
                    break;
            }
        }

        var state = instance with
        {
            Status = outcome.Status,
            Output = outcome.Output,
            Failure = outcome.Failure,
            CustomStatus = episode.CustomStatus,
            LastUpdatedAt = now,
            HistoryCount = instance.HistoryCount + episode.AppendedHistory.Count,
        };
        var appended = episode.AppendedHistory;
        var resetHistory = false;
        if (outcome.ContinuesAsNew)
        {
            // The next generation starts with an empty history and its own execution id; anything still addressed
            // to the old one (timers, activity results) is dropped when it arrives.
            var next = new NewInstance(instance.InstanceId, instance.Name, NewExecutionId(), outcome.NextInput, now, now, instance.Parent);
            state = state with { ExecutionId = next.ExecutionId, Input = outcome.NextInput, HistoryCount = 0 };
            appended = [];
            resetHistory = true;
            messages.Add(next.StartMessage);
            messages.AddRange(outcome.CarriedEvents.Select(e => new OrchestrationMessage(0, instance.InstanceId, next.ExecutionId, e, now)));
        }
        else if (outcome.Status.IsTerminal() && instance.Parent is { } parent)
        {
            messages.Add(ToParent(parent, instance.Name, outcome.Status == OrchestrationRuntimeStatus.Completed, outcome.Output, outcome.Failure, now));
        }

        return new EpisodeCommit(runtime.Worker, state, resetHistory, appended, consumed, messages, activities, children)
        {
            ActivityLeaseUntil = runtime.Time.GetUtcNow() + runtime.Options.LeaseDuration,
        };
    }

    /// <summary>The span of one episode of <paramref name="instance"/>, in the trace of the request that created it.</summary>
    private static Activity? StartEpisodeSpan(InstanceRecord instance, int newEvents)
    {
        var span = EngineTraceNames.StartInstanceSpan(EngineTraceNames.EpisodePrefix + instance.Name, instance.TraceParent);
        span?.SetTag("durable.instance_id", instance.InstanceId);
        span?.SetTag("durable.orchestration", instance.Name);
        span?.SetTag("durable.new_events", newEvents);
        return span;
    }

    /// <summary>Caches a live execution after its episode committed, unless it has finished.</summary>
    private void Keep(OrchestrationExecution execution, EpisodeResult episode, InstanceRecord state)
    {
        if (episode.Outcome.Status == OrchestrationRuntimeStatus.Running && !episode.Outcome.ContinuesAsNew)
        {
            execution.Committed(episode);
            execution.State = state;
            runtime.Executions.Put(state.InstanceId, execution);
        }
    }

    /// <summary>Hands activity calls stored leased to this worker straight to the activity dispatcher, no fetch needed.</summary>
    private void Dispatch(IReadOnlyList<ActivityWorkItem> activities)
    {
        if (activities.Count > 0)
        {
            foreach (var activity in activities)
            {
                runtime.LeasedActivities.Enqueue(activity);
            }

            runtime.ActivitySignal.Set();
        }
    }

    private async Task<OrchestrationExecution> ReplayAsync(InstanceRecord instance, CancellationToken cancellationToken)
    {
        IReadOnlyList<HistoryEvent> history = instance.HistoryCount == 0 ? [] : await runtime.Store.GetHistoryAsync(instance.InstanceId, cancellationToken);
        var context = new EmbeddedOrchestrationContext(
            instance.Name,
            instance.InstanceId,
            instance.Parent,
            () => runtime.Factory.TryCreateOrchestrator(instance.Name, runtime.Services, out var orchestrator)
                ? orchestrator
                : throw TaskNotFoundException.Orchestrator(instance.Name),
            runtime.Converter,
            runtime.LoggerFactory);
        if (history.Count > 0)
        {
            EngineLog.ExecutionReplayed(runtime.Logger, instance.Name, instance.InstanceId, history.Count);
        }

        return OrchestrationExecution.Replay(instance.ExecutionId, context, history);
    }

    private async Task TerminateAsync(OrchestrationWorkItem item, HistoryEvent termination, List<long> consumed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var instance = item.Instance;
        HistoryEvent[] appended = [new(HistoryEventType.OrchestratorStarted, now), termination with { Timestamp = now }];
        var state = instance with
        {
            Status = OrchestrationRuntimeStatus.Terminated,
            Output = termination.Data,
            LastUpdatedAt = now,
            HistoryCount = instance.HistoryCount + appended.Length,
        };
        List<OrchestrationMessage> messages = [];
        if (instance.Parent is { } parent)
        {
            var failure = new FailureRecord(typeof(OperationCanceledException).FullName!, $"The sub-orchestration '{instance.InstanceId}' was terminated: {termination.Data}");
            messages.Add(ToParent(parent, instance.Name, false, null, failure, now));
        }

        await CommitAsync(item.Instance, new EpisodeCommit(runtime.Worker, state, false, appended, consumed, messages, [], []), 0, cancellationToken);
    }

    /// <summary>Commits an episode of a leased instance; <c>null</c> when the lease was lost.</summary>
    private async Task<IReadOnlyList<ActivityWorkItem>?> CommitAsync(InstanceRecord previous, EpisodeCommit commit, int actionCount, CancellationToken cancellationToken)
    {
        var activities = await runtime.Store.CommitEpisodeAsync(commit, cancellationToken);
        if (activities is null)
        {
            EngineLog.OrchestrationLeaseLost(runtime.Logger, commit.State.InstanceId);
            return null;
        }

        Published(previous, commit, actionCount);
        return activities;
    }

    /// <summary>After an episode committed: wakes whoever its messages and children concern, notifies waiting clients, logs.</summary>
    private void Published(InstanceRecord previous, EpisodeCommit commit, int actionCount)
    {
        var state = commit.State;
        foreach (var message in commit.Messages)
        {
            runtime.MessageQueued(message.VisibleAt);
        }

        foreach (var child in commit.Children)
        {
            runtime.MessageQueued(child.StartAt);
            runtime.Changes.Changed(child.InstanceId);
        }

        runtime.Changes.Changed(state.InstanceId);
        if (state.Status != previous.Status || commit.AppendedHistory.Count > 0)
        {
            EngineLog.EpisodeCommitted(runtime.Logger, state.Name, state.InstanceId, commit.AppendedHistory.Count, actionCount, state.Status.ToString());
            if (state.Status == OrchestrationRuntimeStatus.Failed && previous.Status != OrchestrationRuntimeStatus.Failed)
            {
                EngineLog.InstanceFailed(runtime.Logger, state.Name, state.InstanceId, state.Failure?.ToString() ?? "unknown");
            }
            else if (state.Status.IsTerminal() && !previous.Status.IsTerminal())
            {
                EngineLog.InstanceFinished(runtime.Logger, state.Name, state.InstanceId, state.Status.ToString());
            }
        }
    }

    private static OrchestrationMessage ToParent(ParentReference parent, string childName, bool completed, string? output, FailureRecord? failure, DateTimeOffset now)
        => new(
            0,
            parent.InstanceId,
            parent.ExecutionId,
            completed
                ? new HistoryEvent(HistoryEventType.SubOrchestrationCompleted, now) { TaskId = parent.TaskId, Name = childName, Data = output }
                : new HistoryEvent(HistoryEventType.SubOrchestrationFailed, now) { TaskId = parent.TaskId, Name = childName, Failure = failure },
            now);

    private static string NewExecutionId() => Guid.NewGuid().ToString("N");
}
