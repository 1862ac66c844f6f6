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
            await CommitAsync(item, new EpisodeCommit(runtime.Worker, instance, false, [], consumed, [], [], []), 0, cancellationToken);
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
            await CommitAsync(item, new EpisodeCommit(runtime.Worker, state, false, [], controlIds, [], [], []), 0, cancellationToken);
            return;
        }

        await RunEpisodeAsync(item, events, consumed, now, cancellationToken);
    }

    private async Task RunEpisodeAsync(OrchestrationWorkItem item, List<HistoryEvent> events, List<long> consumed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var instance = item.Instance;
        using var span = EngineTelemetry.Source.StartActivity($"orchestration {instance.Name}", ActivityKind.Internal);
        span?.SetTag("durable.instance_id", instance.InstanceId);
        span?.SetTag("durable.orchestration", instance.Name);
        span?.SetTag("durable.new_events", events.Count);

        if (!runtime.Executions.TryTake(instance.InstanceId, instance.ExecutionId, instance.HistoryCount, out var execution))
        {
            execution = await ReplayAsync(instance, cancellationToken);
        }

        var episode = execution!.RunEpisode(now, events);
        var outcome = episode.Outcome;
        var messages = new List<OrchestrationMessage>();
        var activities = new List<ActivityWorkItem>();
        var children = new List<NewInstance>();
        foreach (var action in episode.NewActions)
        {
            switch (action.Kind)
            {
                case OrchestratorActionKind.ScheduleActivity:
                    activities.Add(new ActivityWorkItem(0, instance.InstanceId, instance.ExecutionId, action.TaskId, action.Name!, action.Input));
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
                        new ParentReference(instance.Name, instance.InstanceId, instance.ExecutionId, action.TaskId)));
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

        var commit = new EpisodeCommit(runtime.Worker, state, resetHistory, appended, consumed, messages, activities, children)
        {
            ActivityLeaseUntil = runtime.Time.GetUtcNow() + runtime.Options.LeaseDuration,
        };
        if (await CommitAsync(item, commit, episode.NewActions.Count, cancellationToken))
        {
            if (outcome.Status == OrchestrationRuntimeStatus.Running && !outcome.ContinuesAsNew)
            {
                execution.Committed(episode);
                runtime.Executions.Put(instance.InstanceId, execution);
            }

            span?.SetTag("durable.status", outcome.Status.ToString());
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

        await CommitAsync(item, new EpisodeCommit(runtime.Worker, state, false, appended, consumed, messages, [], []), 0, cancellationToken);
    }

    private async Task<bool> CommitAsync(OrchestrationWorkItem item, EpisodeCommit commit, int actionCount, CancellationToken cancellationToken)
    {
        var state = commit.State;
        var activities = await runtime.Store.CommitEpisodeAsync(commit, cancellationToken);
        if (activities is null)
        {
            EngineLog.OrchestrationLeaseLost(runtime.Logger, state.InstanceId);
            return false;
        }

        if (activities.Count > 0)
        {
            // Stored leased to this worker: they go straight to the activity dispatcher, no fetch needed.
            foreach (var activity in activities)
            {
                runtime.LeasedActivities.Enqueue(activity);
            }

            runtime.ActivitySignal.Set();
        }

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
        if (state.Status != item.Instance.Status || commit.AppendedHistory.Count > 0)
        {
            EngineLog.EpisodeCommitted(runtime.Logger, state.Name, state.InstanceId, commit.AppendedHistory.Count, actionCount, state.Status.ToString());
            if (state.Status == OrchestrationRuntimeStatus.Failed && item.Instance.Status != OrchestrationRuntimeStatus.Failed)
            {
                EngineLog.InstanceFailed(runtime.Logger, state.Name, state.InstanceId, state.Failure?.ToString() ?? "unknown");
            }
            else if (state.Status.IsTerminal() && !item.Instance.Status.IsTerminal())
            {
                EngineLog.InstanceFinished(runtime.Logger, state.Name, state.InstanceId, state.Status.ToString());
            }
        }

        return true;
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
