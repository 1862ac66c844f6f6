using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Durable.Embedded.Diagnostics;
using Provisioning.Durable.Embedded.Execution;
using Provisioning.Durable.Embedded.History;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>
/// Leases scheduled activity calls and runs them, at most <see cref="EmbeddedEngineOptions.MaxConcurrentActivities"/>
/// at a time, each in its own DI scope. The outcome and the removal of the call commit together; a call whose
/// lease was lost (the process stalled past it) is run again elsewhere, so activities run at least once. When the
/// orchestration's cached execution waits for that call alone, the outcome is run into it here and committed with
/// its episode (<see cref="OrchestrationWorker.TryCompleteActivityAsync"/>).
/// </summary>
internal sealed class ActivityDispatcher(EngineRuntime runtime)
{
    private readonly WorkItemTracker _running = new();
    private readonly OrchestrationWorker _orchestrations = new(runtime);

    public async Task RunAsync(CancellationToken stopping)
    {
        var max = Math.Max(1, runtime.Options.MaxConcurrentActivities);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var free = max - _running.Count;
                while (free > 0 && runtime.LeasedActivities.TryDequeue(out var leased))
                {
                    _running.Start(() => ExecuteAsync(leased, stopping), runtime.ActivitySignal.Set);
                    free--;
                }

                if (free > 0)
                {
                    // Calls of other workers whose lease ran out (or of a previous run of this process).
                    var now = runtime.Time.GetUtcNow();
                    var items = await runtime.Store.LockActivitiesAsync(runtime.Worker, free, now, now + runtime.Options.LeaseDuration, stopping);
                    foreach (var item in items)
                    {
                        _running.Start(() => ExecuteAsync(item, stopping), runtime.ActivitySignal.Set);
                    }

                    if (items.Count == free)
                    {
                        continue;
                    }
                }

                await runtime.ActivitySignal.WaitAsync(runtime.Options.PollInterval, runtime.Time, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // The loop must outlive a failed fetch; it logs and tries again.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                EngineLog.DispatcherFailed(runtime.Logger, "activity", exception);
                try
                {
                    await Task.Delay(runtime.Options.PollInterval, runtime.Time, stopping);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        await _running.DrainAsync();
    }

    /// <summary>
    /// Runs a call and then, in the same slot, the next call its orchestration's episode scheduled when that episode
    /// ran on this call's outcome (a sequential orchestration's steps then need no hop through the dispatchers).
    /// </summary>
    private async Task ExecuteAsync(ActivityWorkItem item, CancellationToken stopping)
    {
        for (var next = await ExecuteOneAsync(item, stopping); next is not null; next = await ExecuteOneAsync(next, stopping))
        {
            if (stopping.IsCancellationRequested)
            {
                // Leased to this worker: released with its other leases at shutdown, or it expires.
                runtime.LeasedActivities.Enqueue(next);
                break;
            }
        }
    }

    /// <summary>Runs one call and records its outcome; returns a call to run next in this slot, if any.</summary>
    private async Task<ActivityWorkItem?> ExecuteOneAsync(ActivityWorkItem item, CancellationToken stopping)
    {
        using var span = EngineTraceNames.StartInstanceSpan(EngineTraceNames.ActivityPrefix + item.Name, item.TraceParent);
        span?.SetTag("durable.instance_id", item.InstanceId);
        span?.SetTag("durable.activity", item.Name);
        span?.SetTag("durable.task_id", item.TaskId);

        HistoryEvent outcome;
        try
        {
            await using var scope = runtime.Services.CreateAsyncScope();
            if (!runtime.Factory.TryCreateActivity(item.Name, scope.ServiceProvider, out var activity))
            {
                throw TaskNotFoundException.Activity(item.Name);
            }

            var input = runtime.Converter.Deserialize(item.Input, activity.InputType);
            var result = await activity.RunAsync(new EmbeddedActivityContext(item.Name, item.InstanceId), input);
            outcome = new HistoryEvent(HistoryEventType.TaskCompleted, runtime.Time.GetUtcNow()) { TaskId = item.TaskId, Name = item.Name, Data = runtime.Converter.Serialize(result) };
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            EngineLog.ActivityInterrupted(runtime.Logger, item.Name, item.TaskId, item.InstanceId);
            return null;
        }
#pragma warning disable CA1031 // An activity's exception is its outcome: it is recorded and surfaces in the orchestration.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            outcome = new HistoryEvent(HistoryEventType.TaskFailed, runtime.Time.GetUtcNow()) { TaskId = item.TaskId, Name = item.Name, Failure = FailureRecord.FromException(exception) };
            span?.SetStatus(ActivityStatusCode.Error, exception.Message);
        }

        ActivityWorkItem? next = null;
        bool recorded;
        if (await _orchestrations.TryCompleteActivityAsync(item, outcome, CancellationToken.None) is { } inline)
        {
            recorded = inline.Result != ActivityEpisodeResult.LeaseLost;
            if (inline.Activities.Count > 0)
            {
                next = inline.Activities[0];
                if (inline.Activities.Count > 1)
                {
                    foreach (var activity in inline.Activities.Skip(1))
                    {
                        runtime.LeasedActivities.Enqueue(activity);
                    }

                    runtime.ActivitySignal.Set();
                }
            }
        }
        else
        {
            var message = new OrchestrationMessage(0, item.InstanceId, item.ExecutionId, outcome, outcome.Timestamp);
            recorded = await runtime.Store.CompleteActivityAsync(item, runtime.Worker, message, CancellationToken.None);
            if (recorded)
            {
                runtime.OrchestrationSignal.Set();
            }
        }

        if (recorded)
        {
            EngineLog.ActivityFinished(runtime.Logger, item.Name, item.TaskId, item.InstanceId, outcome.Type == HistoryEventType.TaskCompleted ? "completed" : "failed");
        }
        else
        {
            EngineLog.ActivityLeaseLost(runtime.Logger, item.Name, item.TaskId, item.InstanceId);
        }

        return next;
    }
}
