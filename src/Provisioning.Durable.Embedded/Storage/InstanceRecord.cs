using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>The stored state of an instance: what the status API shows, plus what the engine needs to resume it.</summary>
/// <param name="InstanceId">The instance id.</param>
/// <param name="Name">The orchestration name.</param>
/// <param name="ExecutionId">The current generation; changes on restart and on ContinueAsNew.</param>
/// <param name="Status">The runtime status.</param>
/// <param name="CreatedAt">When the current generation was scheduled.</param>
/// <param name="LastUpdatedAt">When the state last changed.</param>
internal sealed record InstanceRecord(
    string InstanceId,
    string Name,
    string ExecutionId,
    OrchestrationRuntimeStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt)
{
    /// <summary>Serialized input of the current generation.</summary>
    public string? Input { get; init; }

    /// <summary>Serialized output, or the termination reason.</summary>
    public string? Output { get; init; }

    /// <summary>Serialized custom status.</summary>
    public string? CustomStatus { get; init; }

    /// <summary>Why the instance failed.</summary>
    public FailureRecord? Failure { get; init; }

    /// <summary>The parent, for a sub-orchestration.</summary>
    public ParentReference? Parent { get; init; }

    /// <summary>How many history events the current generation has; lets a cached execution prove it is current.</summary>
    public int HistoryCount { get; init; }

    /// <summary>The W3C trace context of the span that created the instance; its episodes and activities join that trace.</summary>
    public string? TraceParent { get; init; }
}
