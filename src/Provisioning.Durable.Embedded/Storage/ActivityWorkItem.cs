namespace Provisioning.Durable.Embedded.Storage;

/// <summary>A scheduled activity call; when leased, the input of one activity execution.</summary>
/// <param name="Id">The store's id (0 before it is stored).</param>
/// <param name="InstanceId">The orchestration that scheduled it.</param>
/// <param name="ExecutionId">That orchestration's generation.</param>
/// <param name="TaskId">Its sequence number in the orchestration.</param>
/// <param name="Name">The activity name.</param>
/// <param name="Input">The serialized input.</param>
internal sealed record ActivityWorkItem(long Id, string InstanceId, string ExecutionId, int TaskId, string Name, string? Input)
{
    /// <summary>The trace its orchestration belongs to (not stored with the call: read from the instance when leased).</summary>
    public string? TraceParent { get; init; }
}
