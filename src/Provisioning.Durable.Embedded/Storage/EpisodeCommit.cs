using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// Everything one orchestration episode changes, committed atomically: consumed messages, appended history, the
/// new instance state, and the messages, activities and child instances it sends. The store rejects the commit
/// when <see cref="LockOwner"/> no longer holds the instance's lease, so a stale worker changes nothing.
/// </summary>
/// <param name="LockOwner">The lease holder that ran the episode.</param>
/// <param name="State">The instance's new state (its <see cref="InstanceRecord.HistoryCount"/> counts the appended events).</param>
/// <param name="ResetHistory">Drop the old history first (ContinueAsNew).</param>
/// <param name="AppendedHistory">Events appended to the history.</param>
/// <param name="ConsumedMessageIds">Messages this episode consumed.</param>
/// <param name="Messages">Messages to this or other instances (timers, sub-orchestration outcomes, carried-over events).</param>
/// <param name="Activities">Activities to run.</param>
/// <param name="Children">Sub-orchestrations to start.</param>
internal sealed record EpisodeCommit(
    string LockOwner,
    InstanceRecord State,
    bool ResetHistory,
    IReadOnlyList<HistoryEvent> AppendedHistory,
    IReadOnlyList<long> ConsumedMessageIds,
    IReadOnlyList<OrchestrationMessage> Messages,
    IReadOnlyList<ActivityWorkItem> Activities,
    IReadOnlyList<NewInstance> Children)
{
    /// <summary>
    /// When set, the activities are stored already leased to <see cref="LockOwner"/> until this time, so this worker
    /// can run them at once without another round trip to the store.
    /// </summary>
    public DateTimeOffset? ActivityLeaseUntil { get; init; }
}
