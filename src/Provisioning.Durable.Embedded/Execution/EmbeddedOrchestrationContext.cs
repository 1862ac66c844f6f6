using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Provisioning.Durable.Embedded.History;
using NonDeterministicOrchestrationException = DurableTask.Core.Exceptions.NonDeterministicOrchestrationException;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>
/// The engine's orchestration context. It is fed history events one at a time (<see cref="Apply"/>); each event
/// completes the task the code awaits for it, and the code's continuations run at once on the context's
/// single-threaded scheduler. What the code asks for (activities, timers, sub-orchestrations) is numbered in the
/// order it asks; during replay each request must match the event history recorded under the same number, or the
/// replay fails with <see cref="NonDeterministicOrchestrationException"/>. Requests history does not yet have are
/// the episode's new actions.
/// </summary>
internal sealed class EmbeddedOrchestrationContext : TaskOrchestrationContext
{
    private readonly OrchestrationSynchronizationContext _scheduler = new();
    private readonly SortedDictionary<int, OrchestratorAction> _unrecordedActions = [];
    private readonly Dictionary<int, OpenTask> _openTasks = [];
    private readonly Dictionary<string, LinkedList<TaskCompletionSource<string?>>> _eventWaiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<HistoryEvent> _bufferedEvents = [];
    private readonly List<(CancellationToken Token, Task Wait, Action Cancel)> _cancellableWaits = [];
    private readonly Func<ITaskOrchestrator> _createOrchestrator;
    private readonly DataConverter _converter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TaskRetry _retries;
    private Task<object?>? _run;
    private string? _serializedInput;
    private (string? Input, bool PreserveEvents)? _continueAsNew;
    private DateTimeOffset _now;
    private int _nextTaskId;
    private int _guidCounter;
    private bool _isReplaying;

    public EmbeddedOrchestrationContext(
        string name,
        string instanceId,
        ParentReference? parent,
        Func<ITaskOrchestrator> createOrchestrator,
        DataConverter converter,
        ILoggerFactory loggerFactory)
    {
        Name = name;
        InstanceId = instanceId;
        Parent = parent is null ? null : new ParentOrchestrationInstance(parent.Name, parent.InstanceId);
        _createOrchestrator = createOrchestrator;
        _converter = converter;
        _loggerFactory = loggerFactory;
        _retries = new TaskRetry(this);
    }

    /// <inheritdoc />
    public override TaskName Name { get; }

    /// <inheritdoc />
    public override string InstanceId { get; }

    /// <inheritdoc />
    public override ParentOrchestrationInstance? Parent { get; }

    /// <inheritdoc />
    public override bool IsReplaying => _isReplaying;

    /// <inheritdoc />
    public override DateTime CurrentUtcDateTime => _now.UtcDateTime;

    /// <summary>The serialized custom status the code last set.</summary>
    public string? CustomStatus { get; private set; }

    /// <inheritdoc />
    public override TaskOrchestrationEntityFeature Entities
        => throw new NotSupportedException("The embedded backend does not support durable entities; use the gRPC backend (a Durable Task sidecar or Durable Functions) for orchestrations that call entities.");

    /// <inheritdoc />
    protected override ILoggerFactory LoggerFactory => _loggerFactory;

    /// <summary>Delivers one history event and runs the code it unblocks.</summary>
    /// <exception cref="NonDeterministicOrchestrationException">The code does not match the history.</exception>
    public void Apply(HistoryEvent historyEvent, bool replaying)
    {
        _isReplaying = replaying;
        _scheduler.Run(() => ApplyCore(historyEvent), CancelRequestedWaits);
    }

    /// <summary>
    /// The task the code waits for when it waits for that one alone (no other open task, no event wait, no
    /// unrecorded action): then no other message is expected, and that task's outcome alone moves it on.
    /// </summary>
    public int? SoleWait()
        => _openTasks.Count == 1 && _unrecordedActions.Count == 0 && _eventWaiters.Values.All(waiters => waiters.Count == 0)
            ? _openTasks.Keys.First()
            : null;

    /// <summary>The actions the code has asked for that history does not record yet; they are recorded from now on.</summary>
    public IReadOnlyList<OrchestratorAction> TakeNewActions()
    {
        var actions = _unrecordedActions.Values.ToList();
        _unrecordedActions.Clear();
        return actions;
    }

    /// <summary>The execution's state after the events applied so far.</summary>
    public EpisodeOutcome GetOutcome()
    {
        if (_run is not { IsCompleted: true } run)
        {
            return EpisodeOutcome.Running;
        }

        try
        {
            var output = run.GetAwaiter().GetResult();
            if (_continueAsNew is { } next)
            {
                return new EpisodeOutcome(OrchestrationRuntimeStatus.Running)
                {
                    ContinuesAsNew = true,
                    NextInput = next.Input,
                    CarriedEvents = next.PreserveEvents ? [.. _bufferedEvents] : [],
                };
            }

            return new EpisodeOutcome(OrchestrationRuntimeStatus.Completed) { Output = _converter.Serialize(output) };
        }
        catch (OperationCanceledException) when (run.IsCanceled)
        {
            // The SDK's worker reports a cancelled orchestrator task through Task.Exception's wrapper.
            return EpisodeOutcome.Failed(FailureRecord.FromException(new AggregateException(new TaskCanceledException())));
        }
#pragma warning disable CA1031 // Whatever the orchestration threw is its failure, recorded in history.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return EpisodeOutcome.Failed(FailureRecord.FromException(exception));
        }
    }

    /// <inheritdoc />
    public override T? GetInput<T>()
        where T : default => _converter.Deserialize<T>(_serializedInput);

    /// <inheritdoc />
    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name.Name);
        var serialized = _converter.Serialize(input);
        return _retries.InvokeAsync(options?.Retry, () => ScheduleAsync<TResult>(OrchestratorActionKind.ScheduleActivity, name.Name, serialized, childInstanceId: null));
    }

    /// <inheritdoc />
    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName.Name);
        var serialized = _converter.Serialize(input);

        // As the SDK does: without an explicit id the child's is the parent's next GUID, taken once for all attempts.
        var instanceId = (options as SubOrchestrationOptions)?.InstanceId ?? NewGuid().ToString("N");
        return _retries.InvokeAsync(options?.Retry, () => ScheduleAsync<TResult>(OrchestratorActionKind.CreateSubOrchestration, orchestratorName.Name, serialized, instanceId));
    }

    /// <inheritdoc />
    public override void SendEvent(string instanceId, string eventName, object payload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        _unrecordedActions.Add(_nextTaskId, new OrchestratorAction(_nextTaskId, OrchestratorActionKind.SendEvent, eventName)
        {
            Input = _converter.Serialize(payload),
            ChildInstanceId = instanceId,
        });
        _nextTaskId++;
    }

    /// <inheritdoc />
    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var utc = fireAt.Kind == DateTimeKind.Local ? fireAt.ToUniversalTime() : DateTime.SpecifyKind(fireAt, DateTimeKind.Utc);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var action = new OrchestratorAction(_nextTaskId++, OrchestratorActionKind.CreateTimer, null) { FireAt = new DateTimeOffset(utc) };
        var completion = Register(action);
        if (cancellationToken.CanBeCanceled)
        {
            // Abandoning a timer only detaches the waiter: the timer stays in history and its firing is ignored.
            void Abandon()
            {
                _openTasks.Remove(action.TaskId);
                completion.TrySetCanceled(cancellationToken);
            }

            _cancellableWaits.Add((cancellationToken, completion.Task, Abandon));
        }

        return completion.Task;
    }

    /// <inheritdoc />
    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var buffered = _bufferedEvents.FindIndex(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (buffered >= 0)
        {
            var raised = _bufferedEvents[buffered];
            _bufferedEvents.RemoveAt(buffered);
            return ConvertAsync<T>(Task.FromResult(raised.Data));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (!_eventWaiters.TryGetValue(eventName, out var waiters))
        {
            waiters = new LinkedList<TaskCompletionSource<string?>>();
            _eventWaiters.Add(eventName, waiters);
        }

        var completion = new TaskCompletionSource<string?>();
        var node = waiters.AddLast(completion);
        if (cancellationToken.CanBeCanceled)
        {
            // A cancelled waiter leaves the queue, so an event that arrives later is buffered for the next wait.
            void Abandon()
            {
                if (node.List is not null)
                {
                    waiters.Remove(node);
                }

                completion.TrySetCanceled(cancellationToken);
            }

            _cancellableWaits.Add((cancellationToken, completion.Task, Abandon));
        }

        return ConvertAsync<T>(completion.Task);
    }

    /// <inheritdoc />
    public override void SetCustomStatus(object? customStatus) => CustomStatus = _converter.Serialize(customStatus);

    /// <inheritdoc />
    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true)
        => _continueAsNew = (_converter.Serialize(newInput), preserveUnprocessedEvents);

    /// <inheritdoc />
    public override Guid NewGuid()
        => DeterministicGuid.Create(string.Create(CultureInfo.InvariantCulture, $"{InstanceId}_{CurrentUtcDateTime:o}_{_guidCounter++}"));

    /// <summary>
    /// Cancels the waits whose token was cancelled. Tokens are checked between steps rather than through
    /// <see cref="CancellationToken.Register(Action)"/>, because <c>CancelAsync</c> runs registered callbacks on the
    /// thread pool, outside this scheduler; checked here, a cancellation takes effect at the same step on every replay.
    /// </summary>
    private void CancelRequestedWaits()
    {
        for (var index = 0; index < _cancellableWaits.Count;)
        {
            var (token, wait, cancel) = _cancellableWaits[index];
            if (wait.IsCompleted)
            {
                _cancellableWaits.RemoveAt(index);
            }
            else if (token.IsCancellationRequested)
            {
                _cancellableWaits.RemoveAt(index);
                cancel();
                index = 0;
            }
            else
            {
                index++;
            }
        }
    }

    private void ApplyCore(HistoryEvent historyEvent)
    {
        switch (historyEvent.Type)
        {
            case HistoryEventType.OrchestratorStarted:
                _now = historyEvent.Timestamp;
                break;
            case HistoryEventType.ExecutionStarted:
                Start(historyEvent.Data);
                break;
            case HistoryEventType.TaskScheduled:
            case HistoryEventType.TimerCreated:
            case HistoryEventType.SubOrchestrationCreated:
            case HistoryEventType.EventSent:
                MatchRecordedAction(historyEvent);
                break;
            case HistoryEventType.TaskCompleted:
            case HistoryEventType.SubOrchestrationCompleted:
            case HistoryEventType.TimerFired:
                if (_openTasks.Remove(historyEvent.TaskId, out var completed))
                {
                    completed.Completion.TrySetResult(historyEvent.Data);
                }

                break;
            case HistoryEventType.TaskFailed:
            case HistoryEventType.SubOrchestrationFailed:
                if (_openTasks.Remove(historyEvent.TaskId, out var failed))
                {
                    var failure = historyEvent.Failure ?? new FailureRecord(typeof(Exception).FullName!, "The task failed without details.");
                    failed.Completion.TrySetException(new TaskFailedException(failed.Name, historyEvent.TaskId, failure.ToTaskFailureDetails()));
                }

                break;
            case HistoryEventType.EventRaised:
                if (_eventWaiters.TryGetValue(historyEvent.Name ?? string.Empty, out var waiters) && waiters.First is { } first)
                {
                    waiters.RemoveFirst();
                    first.Value.TrySetResult(historyEvent.Data);
                }
                else
                {
                    _bufferedEvents.Add(historyEvent);
                }

                break;
            default:
                // Suspension, resumption and the execution's own end change the instance, not the code's state.
                break;
        }
    }

    private void Start(string? serializedInput)
    {
        _serializedInput = serializedInput;
        try
        {
            var orchestrator = _createOrchestrator();
            var input = _converter.Deserialize(serializedInput, orchestrator.InputType);
            _run = orchestrator.RunAsync(this, input);
        }
#pragma warning disable CA1031 // A failure to start is the execution's failure.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _run = Task.FromException<object?>(exception);
        }
    }

    // The messages are DurableTask.Core's, so a non-deterministic replay reads the same on this backend and on the SDK's.
    private void MatchRecordedAction(HistoryEvent recorded)
    {
        if (!_unrecordedActions.Remove(recorded.TaskId, out var action))
        {
            throw new NonDeterministicOrchestrationException(
                recorded.TaskId,
                $"A previous execution of this orchestration {Recorded(recorded)}, but the current replay execution hasn't (yet?) scheduled this task. " + ChangedCode);
        }

        if (action.RecordedAs != recorded.Type || !string.Equals(action.Name, recorded.Name, StringComparison.Ordinal))
        {
            throw new NonDeterministicOrchestrationException(
                recorded.TaskId,
                $"A previous execution of this orchestration {Recorded(recorded)}, but the current orchestration replay instead {Scheduled(action)} with this sequence number.  " + ChangedCode);
        }
    }

    private const string ChangedCode = "Was a change made to the orchestrator code after this instance had already started running?";

    private static string Recorded(HistoryEvent recorded) => recorded.Type switch
    {
        HistoryEventType.TaskScheduled => $"scheduled an activity task with sequence number {recorded.TaskId} named '{recorded.Name}'",
        HistoryEventType.TimerCreated => $"created a timer with sequence number {recorded.TaskId} (fire at {recorded.FireAt?.ToString("O", CultureInfo.InvariantCulture)})",
        HistoryEventType.EventSent => $"sent an event with sequence number {recorded.TaskId} named '{recorded.Name}'",
        _ => $"scheduled a sub-orchestration task with sequence number {recorded.TaskId} named '{recorded.Name}'",
    };

    private static string Scheduled(OrchestratorAction action) => action.Kind switch
    {
        OrchestratorActionKind.ScheduleActivity => $"scheduled an activity task named '{action.Name}'",
        OrchestratorActionKind.CreateTimer => "created a timer",
        OrchestratorActionKind.SendEvent => $"sent an event named '{action.Name}'",
        _ => $"scheduled a sub-orchestration task named '{action.Name}'",
    };

    private async Task<TResult> ScheduleAsync<TResult>(OrchestratorActionKind kind, string name, string? input, string? childInstanceId)
    {
        var taskId = _nextTaskId++;
        var action = new OrchestratorAction(taskId, kind, name)
        {
            Input = input,
            ChildInstanceId = childInstanceId,
        };
        var result = await Register(action).Task;
        return Convert<TResult>(result);
    }

    private TaskCompletionSource<string?> Register(OrchestratorAction action)
    {
        // Continuations run inline on this thread (no RunContinuationsAsynchronously): with it, Task.WhenAll and
        // WhenAny would complete on the thread pool, outside the orchestration's scheduler.
        var completion = new TaskCompletionSource<string?>();
        _unrecordedActions.Add(action.TaskId, action);
        _openTasks.Add(action.TaskId, new OpenTask(action.Name ?? "timer", completion));
        return completion;
    }

    private async Task<T> ConvertAsync<T>(Task<string?> raw) => Convert<T>(await raw);

    private T Convert<T>(string? data) => _converter.Deserialize<T>(data)!;

    private sealed record OpenTask(string Name, TaskCompletionSource<string?> Completion);
}
