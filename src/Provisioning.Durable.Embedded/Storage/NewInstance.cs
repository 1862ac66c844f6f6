using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>An instance to create (or restart, when its id has finished), with the ExecutionStarted that starts it.</summary>
/// <param name="InstanceId">The id.</param>
/// <param name="Name">The orchestration name.</param>
/// <param name="ExecutionId">The id of its first generation.</param>
/// <param name="Input">The serialized input.</param>
/// <param name="CreatedAt">Now.</param>
/// <param name="StartAt">When the ExecutionStarted becomes visible.</param>
/// <param name="Parent">The parent, for a sub-orchestration.</param>
/// <param name="DedupeStatuses">Finished statuses in which an existing instance of the id is kept and the creation refused.</param>
internal sealed record NewInstance(
    string InstanceId,
    string Name,
    string ExecutionId,
    string? Input,
    DateTimeOffset CreatedAt,
    DateTimeOffset StartAt,
    ParentReference? Parent,
    IReadOnlyCollection<OrchestrationRuntimeStatus>? DedupeStatuses = null)
{
    /// <summary>The W3C trace context of the span that creates it (see <see cref="InstanceRecord.TraceParent"/>).</summary>
    public string? TraceParent { get; init; }

    /// <summary>The message that starts the execution.</summary>
    public OrchestrationMessage StartMessage => new(
        0,
        InstanceId,
        ExecutionId,
        new HistoryEvent(HistoryEventType.ExecutionStarted, CreatedAt) { Name = Name, Data = Input, ExecutionId = ExecutionId, Parent = Parent },
        StartAt);
}
