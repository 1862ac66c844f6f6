using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.History;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>The store's lease rules, which make orchestration state changes exactly-once across workers.</summary>
public sealed class LeaseTests
{
    [Fact]
    public async Task A_worker_whose_lease_was_taken_over_cannot_commit_its_episode()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var store = new SqliteInstanceStore(database.DatabasePath, inMemory: false, StoreDurability.Full, "provisioning", clock);
        await store.InitializeAsync(CancellationToken.None);
        var now = clock.GetUtcNow();
        await store.CreateInstanceAsync(new NewInstance("i1", "Flow", "e1", null, now, now, null), CancellationToken.None);

        var first = Assert.Single(await store.LockOrchestrationsAsync("worker-a", 10, now, now.AddSeconds(30), CancellationToken.None));
        Assert.Empty(await store.LockOrchestrationsAsync("worker-b", 10, now, now.AddSeconds(30), CancellationToken.None));

        // Worker A stalls past its lease; worker B takes the instance over and commits first.
        clock.Advance(TimeSpan.FromSeconds(31));
        var later = clock.GetUtcNow();
        var second = Assert.Single(await store.LockOrchestrationsAsync("worker-b", 10, later, later.AddSeconds(30), CancellationToken.None));
        Assert.NotNull(await store.CommitEpisodeAsync(Commit("worker-b", second, "from b"), CancellationToken.None));
        Assert.Null(await store.CommitEpisodeAsync(Commit("worker-a", first, "from a"), CancellationToken.None));

        var instance = await store.GetInstanceAsync("i1", CancellationToken.None);
        Assert.Equal("from b", instance!.Output);
        Assert.Single(await store.GetHistoryAsync("i1", CancellationToken.None));
    }

    [Fact]
    public async Task An_activity_result_from_a_worker_that_lost_the_lease_is_dropped()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var store = new SqliteInstanceStore(database.DatabasePath, inMemory: false, StoreDurability.Full, "provisioning", clock);
        await store.InitializeAsync(CancellationToken.None);
        var now = clock.GetUtcNow();
        await store.CreateInstanceAsync(new NewInstance("i1", "Flow", "e1", null, now, now, null), CancellationToken.None);
        var work = Assert.Single(await store.LockOrchestrationsAsync("worker-a", 10, now, now.AddSeconds(30), CancellationToken.None));
        Assert.NotNull(await store.CommitEpisodeAsync(
            Commit("worker-a", work, null) with { Activities = [new ActivityWorkItem(0, "i1", "e1", 0, "Step", null)] },
            CancellationToken.None));

        var a = Assert.Single(await store.LockActivitiesAsync("worker-a", 10, now, now.AddSeconds(30), CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(31));
        var later = clock.GetUtcNow();
        var b = Assert.Single(await store.LockActivitiesAsync("worker-b", 10, later, later.AddSeconds(30), CancellationToken.None));

        Assert.False(await store.CompleteActivityAsync(a, "worker-a", Outcome("i1", "a"), CancellationToken.None));
        Assert.True(await store.CompleteActivityAsync(b, "worker-b", Outcome("i1", "b"), CancellationToken.None));
        var delivered = Assert.Single(await store.LockOrchestrationsAsync("worker-b", 10, later, later.AddSeconds(30), CancellationToken.None));
        Assert.Equal("b", Assert.Single(delivered.Messages).Event.Data);
    }

    private static EpisodeCommit Commit(string owner, OrchestrationWorkItem item, string? output)
        => new(
            owner,
            item.Instance with { Status = OrchestrationRuntimeStatus.Running, Output = output, HistoryCount = 1 },
            false,
            [new HistoryEvent(HistoryEventType.OrchestratorStarted, DateTimeOffset.UnixEpoch)],
            item.Messages.Select(m => m.Id).ToList(),
            [],
            [],
            []);

    private static OrchestrationMessage Outcome(string instanceId, string data)
        => new(0, instanceId, "e1", new HistoryEvent(HistoryEventType.TaskCompleted, DateTimeOffset.UnixEpoch) { TaskId = 0, Data = data }, DateTimeOffset.UnixEpoch);
}
