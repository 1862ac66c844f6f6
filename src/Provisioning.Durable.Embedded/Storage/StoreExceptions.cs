using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>An instance with this id is pending or running, so it cannot be started again.</summary>
internal sealed class OrchestrationAlreadyExistsException(string instanceId, OrchestrationRuntimeStatus status)
    : InvalidOperationException($"An orchestration with instance id '{instanceId}' already exists and is {status}; wait for it to finish or terminate it first.")
{
    /// <summary>The id that was refused.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>The status of the existing instance.</summary>
    public OrchestrationRuntimeStatus Status { get; } = status;
}

/// <summary>No instance with this id exists.</summary>
internal sealed class OrchestrationNotFoundException(string instanceId)
    : InvalidOperationException($"No orchestration instance with id '{instanceId}' exists.")
{
    /// <summary>The id that was looked for.</summary>
    public string InstanceId { get; } = instanceId;
}

/// <summary>The instance has finished, so it takes no more events, terminations, suspensions or resumptions.</summary>
internal sealed class OrchestrationNotRunningException(string instanceId, OrchestrationRuntimeStatus status)
    : InvalidOperationException($"The orchestration instance '{instanceId}' is {status} and no longer accepts this operation.")
{
    /// <summary>The instance id.</summary>
    public string InstanceId { get; } = instanceId;

    /// <summary>Its status.</summary>
    public OrchestrationRuntimeStatus Status { get; } = status;
}
