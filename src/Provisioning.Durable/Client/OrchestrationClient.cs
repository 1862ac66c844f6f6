namespace Provisioning.Durable.Client;

/// <summary>
/// Starts, watches and controls orchestration instances. Shaped like Durable Task's <c>DurableTaskClient</c>.
/// </summary>
public abstract class OrchestrationClient
{
    /// <summary>Schedules a new instance of <paramref name="orchestratorName"/> and returns its id.</summary>
    /// <exception cref="OrchestrationAlreadyExistsException">The requested id is pending or running.</exception>
    /// <exception cref="ArgumentException">No orchestrator is registered under that name.</exception>
    public abstract Task<string> ScheduleNewOrchestrationInstanceAsync(
        string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Reads an instance's state; <c>null</c> when it does not exist.</summary>
    public abstract Task<OrchestrationMetadata?> GetInstanceAsync(
        string instanceId, bool getInputsAndOutputs = true, bool getHistory = false, CancellationToken cancellationToken = default);

    /// <summary>Waits until the instance has started (is no longer pending).</summary>
    /// <exception cref="OrchestrationNotFoundException">No such instance (or it was purged while waiting).</exception>
    public abstract Task<OrchestrationMetadata> WaitForInstanceStartAsync(
        string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default);

    /// <summary>Waits until the instance has completed, failed or been terminated.</summary>
    /// <exception cref="OrchestrationNotFoundException">No such instance (or it was purged while waiting).</exception>
    public abstract Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(
        string instanceId, bool getInputsAndOutputs = true, CancellationToken cancellationToken = default);

    /// <summary>Raises an external event; it is buffered until the orchestration waits for it.</summary>
    /// <exception cref="OrchestrationNotFoundException">No such instance.</exception>
    /// <exception cref="OrchestrationNotRunningException">The instance has finished.</exception>
    public abstract Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellationToken = default);

    /// <summary>Stops the instance without running any more of its code; <paramref name="reason"/> becomes its output.</summary>
    public abstract Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Pauses the instance; events that arrive meanwhile are kept.</summary>
    public abstract Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Resumes a suspended instance.</summary>
    public abstract Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary>Removes a finished instance and its history; a pending, running or suspended one is refused.</summary>
    /// <exception cref="InvalidOperationException">The instance has not finished.</exception>
    public abstract Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Removes every finished instance the filter selects.</summary>
    public abstract Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of instances that match <paramref name="query"/>.</summary>
    public abstract Task<OrchestrationQueryPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default);
}
