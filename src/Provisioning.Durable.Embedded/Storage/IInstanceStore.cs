using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// Where instances, histories, messages and activity calls live. Every method is atomic; the engine relies on
/// <see cref="CommitEpisodeAsync"/> being all-or-nothing and on leases being checked inside it.
/// </summary>
internal interface IInstanceStore : IAsyncDisposable
{
    /// <summary>Opens the store, creating or validating its schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Creates an instance, or restarts a finished one.</summary>
    /// <exception cref="OrchestrationAlreadyExistsException">The id is pending, running or suspended.</exception>
    Task CreateInstanceAsync(NewInstance instance, CancellationToken cancellationToken);

    /// <summary>
    /// Creates an instance together with its first episode, which the caller ran in memory: the instance is stored as
    /// <paramref name="firstEpisode"/> left it, with no start message, in one transaction. Returns the stored activity
    /// calls (with their ids), leased as the commit asks.
    /// </summary>
    /// <exception cref="OrchestrationAlreadyExistsException">The id is pending, running or suspended; nothing is written.</exception>
    Task<IReadOnlyList<ActivityWorkItem>> CreateInstanceWithEpisodeAsync(NewInstance instance, EpisodeCommit firstEpisode, CancellationToken cancellationToken);

    /// <summary>Reads an instance; <c>null</c> when absent.</summary>
    Task<InstanceRecord?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Reads the current generation's history, oldest first.</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Queues a client message (event, terminate, suspend, resume) for a live instance.</summary>
    /// <exception cref="OrchestrationNotFoundException">No such instance.</exception>
    /// <exception cref="OrchestrationNotRunningException">It has finished.</exception>
    Task SendClientMessageAsync(string instanceId, HistoryEvent message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes one finished instance; returns how many were removed (0 or 1).</summary>
    /// <exception cref="InvalidOperationException">The instance has not finished.</exception>
    Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Removes the finished instances the filter selects.</summary>
    Task<int> PurgeInstancesAsync(InstancePurgeFilter filter, CancellationToken cancellationToken);

    /// <summary>Reads a page of instances ordered by id; the token is the last id of the previous page.</summary>
    Task<(IReadOnlyList<InstanceRecord> Instances, string? ContinuationToken)> QueryAsync(InstanceQuery query, CancellationToken cancellationToken);

    /// <summary>Leases up to <paramref name="max"/> instances that have visible messages and returns them with those messages.</summary>
    Task<IReadOnlyList<OrchestrationWorkItem>> LockOrchestrationsAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Commits an episode atomically and returns the stored activity calls (with their ids); <c>null</c> when the
    /// lease was lost and nothing was written.
    /// </summary>
    Task<IReadOnlyList<ActivityWorkItem>?> CommitEpisodeAsync(EpisodeCommit commit, CancellationToken cancellationToken);

    /// <summary>
    /// Records an activity's outcome by committing the episode it ran in memory: removes the leased call, and, if the
    /// instance is still in the state the episode ran on (generation, history count, running, no lease held, no
    /// visible message waiting), writes <paramref name="commit"/>; otherwise queues <paramref name="outcome"/> as
    /// <see cref="CompleteActivityAsync"/> does. All in one transaction.
    /// </summary>
    Task<(ActivityEpisodeResult Result, IReadOnlyList<ActivityWorkItem> Activities)> CompleteActivityWithEpisodeAsync(
        ActivityWorkItem item, OrchestrationMessage outcome, EpisodeCommit commit, int expectedHistoryCount, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives an instance's lease back without changes.</summary>
    Task ReleaseOrchestrationAsync(string instanceId, string owner, CancellationToken cancellationToken);

    /// <summary>Leases up to <paramref name="max"/> activity calls.</summary>
    Task<IReadOnlyList<ActivityWorkItem>> LockActivitiesAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a leased activity call and queues its outcome for the orchestration, atomically; <c>false</c> when
    /// the lease was lost (another worker runs it again, and its outcome is the one delivered).
    /// </summary>
    Task<bool> CompleteActivityAsync(ActivityWorkItem item, string owner, OrchestrationMessage outcome, CancellationToken cancellationToken);

    /// <summary>Extends every lease <paramref name="owner"/> holds.</summary>
    Task RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Gives back every lease <paramref name="owner"/> holds (clean shutdown), so another process need not wait for expiry.</summary>
    Task ReleaseAllLeasesAsync(string owner, CancellationToken cancellationToken);

    /// <summary>The earliest time after <paramref name="now"/> at which a message becomes visible, if any.</summary>
    Task<DateTimeOffset?> GetNextVisibleTimeAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
