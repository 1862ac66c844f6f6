using Microsoft.Extensions.Logging;

namespace Provisioning.Durable;

/// <summary>
/// What an orchestration sees of the engine that runs it. Every source of non-determinism — time, GUIDs,
/// waits and I/O — goes through this context so that a replay reproduces the same decisions. Shaped like
/// Durable Task's <c>TaskOrchestrationContext</c> so that the same orchestration classes run on the embedded
/// engine and on Azure Durable Functions.
/// </summary>
public abstract class OrchestrationContext
{
    /// <summary>The registered name of the running orchestration.</summary>
    public abstract string Name { get; }

    /// <summary>The id of the running instance.</summary>
    public abstract string InstanceId { get; }

    /// <summary>The parent instance when this orchestration runs as a sub-orchestration; otherwise <c>null</c>.</summary>
    public abstract ParentOrchestrationInstance? Parent { get; }

    /// <summary>True while the orchestration re-executes code whose outcome is already in its history.</summary>
    public abstract bool IsReplaying { get; }

    /// <summary>Replay-safe current time: the time the engine recorded for the current step, never the wall clock.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>The factory replay-safe loggers are created from.</summary>
    protected abstract ILoggerFactory LoggerFactory { get; }

    /// <summary>Deserializes the orchestration's input.</summary>
    public abstract T? GetInput<T>();

    /// <summary>Schedules an activity and returns a task that completes with its result.</summary>
    /// <exception cref="TaskFailedException">The activity failed (after every retry the options allow).</exception>
    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Schedules an activity whose result is not needed.</summary>
    public virtual Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null)
        => CallActivityAsync<object?>(name, input, options);

    /// <summary>Creates a durable timer that fires at <paramref name="fireAt"/> (UTC). It survives restarts.</summary>
    /// <remarks>Cancelling the token abandons the timer: the returned task is cancelled, the orchestration need not wait for it.</remarks>
    public abstract Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>Creates a durable timer that fires after <paramref name="delay"/>.</summary>
    public virtual Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken)
        => CreateTimer(CurrentUtcDateTime.Add(delay), cancellationToken);

    /// <summary>Waits for an external event raised with <c>RaiseEventAsync</c>. Events raised before the wait are buffered.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>Waits for an external event, at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TaskCanceledException">The timeout expired before the event arrived.</exception>
    public virtual async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timerCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var eventTask = WaitForExternalEvent<T>(eventName, timerCancellation.Token);
        var timerTask = CreateTimer(timeout, timerCancellation.Token);
        var winner = await Task.WhenAny(eventTask, timerTask);

        // Cancel synchronously: CancelAsync would run the cancellation callbacks on the thread pool, outside the
        // orchestration's single-threaded scheduler, and so make the next step of the replay non-deterministic.
#pragma warning disable CA1849 // Call async methods when in an async method
        timerCancellation.Cancel();
#pragma warning restore CA1849
        if (winner == eventTask)
        {
            return await eventTask;
        }

        throw new TaskCanceledException($"The external event '{eventName}' did not arrive within {timeout}.");
    }

    /// <summary>Starts a sub-orchestration and returns a task that completes with its output.</summary>
    /// <remarks>Pass <see cref="SubOrchestrationOptions"/> to choose the child's instance id.</remarks>
    /// <exception cref="TaskFailedException">The sub-orchestration failed.</exception>
    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    /// <summary>Starts a sub-orchestration whose output is not needed.</summary>
    public virtual Task CallSubOrchestratorAsync(string name, object? input = null, TaskOptions? options = null)
        => CallSubOrchestratorAsync<object?>(name, input, options);

    /// <summary>Sets the status users see while the instance runs (any JSON-serializable value, or <c>null</c>).</summary>
    public abstract void SetCustomStatus(object? customStatus);

    /// <summary>
    /// Restarts the orchestration with a new input and an empty history once the current execution returns.
    /// </summary>
    /// <param name="newInput">The input of the next generation.</param>
    /// <param name="preserveUnprocessedEvents">Carry external events not yet consumed over to the next generation.</param>
    public abstract void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true);

    /// <summary>A deterministic GUID: the same on every replay of the same step.</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that writes only when the orchestration is not replaying.</summary>
    public virtual ILogger CreateReplaySafeLogger(string categoryName)
        => new ReplaySafeLogger(this, LoggerFactory.CreateLogger(categoryName));

    /// <summary>A logger for <typeparamref name="T"/> that writes only when the orchestration is not replaying.</summary>
    public virtual ILogger CreateReplaySafeLogger<T>() => CreateReplaySafeLogger(typeof(T).FullName ?? typeof(T).Name);

    /// <summary>
    /// Runs <paramref name="attempt"/> under <paramref name="policy"/>: a failure the policy handles is retried after
    /// a durable timer. Engines call this from their activity and sub-orchestration implementations.
    /// </summary>
    protected async Task<T> InvokeWithRetryAsync<T>(RetryPolicy? policy, Func<Task<T>> attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (policy is null)
        {
            return await attempt();
        }

        var firstAttemptAt = CurrentUtcDateTime;
        for (var attemptNumber = 1; ; attemptNumber++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure)
            {
                var delay = policy.NextDelay(attemptNumber, CurrentUtcDateTime - firstAttemptAt, failure.FailureDetails);
                if (delay is null)
                {
                    throw;
                }

                await CreateTimer(delay.Value, CancellationToken.None);
            }
        }
    }
}
