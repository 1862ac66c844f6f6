using Microsoft.Data.Sqlite;
using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>Reads of a store file run on read connections of their own, beside the writer, and see what it committed.</summary>
public sealed class StoreReadTests
{
    [Fact]
    public async Task Reads_are_answered_while_the_writer_cannot_commit()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var store = new SqliteInstanceStore(database.DatabasePath, inMemory: false, StoreDurability.Full, "provisioning", clock);
        await store.InitializeAsync(CancellationToken.None);
        var now = clock.GetUtcNow();
        await store.CreateInstanceAsync(new NewInstance("before", "Flow", "e1", null, now, now, null), CancellationToken.None);

        // Another connection holds the write lock, so the writer's next batch waits in BEGIN until it is released.
        await using var blocker = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database.DatabasePath, Pooling = false }.ToString());
        await blocker.OpenAsync();
        await using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        var blockedWrite = store.CreateInstanceAsync(new NewInstance("during", "Flow", "e2", null, now, now, null), CancellationToken.None);

        // Queued on the writer, these would wait behind the blocked write (and fail with it once the lock timed out).
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await store.GetInstanceAsync("before", CancellationToken.None))!.Status);
        Assert.Null(await store.GetInstanceAsync("during", CancellationToken.None));
        Assert.Equal(["before"], (await store.QueryAsync(new InstanceQuery(), CancellationToken.None)).Instances.Select(i => i.InstanceId));
        Assert.Empty(await store.GetHistoryAsync("before", CancellationToken.None));
        Assert.False(blockedWrite.IsCompleted);

        await using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        // Once the write has returned, a read sees it.
        await blockedWrite;
        Assert.Equal("during", (await store.GetInstanceAsync("during", CancellationToken.None))!.InstanceId);
    }

    [Fact]
    public async Task A_taken_id_is_refused_without_failing_the_writes_batched_with_it()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var store = new SqliteInstanceStore(database.DatabasePath, inMemory: false, StoreDurability.Full, "provisioning", clock);
        await store.InitializeAsync(CancellationToken.None);
        var now = clock.GetUtcNow();
        await store.CreateInstanceAsync(new NewInstance("taken", "Flow", "e0", null, now, now, null), CancellationToken.None);

        var creates = Enumerable.Range(0, 50)
            .Select(i => store.CreateInstanceAsync(new NewInstance(i % 5 == 0 ? "taken" : $"new-{i}", "Flow", $"e{i + 1}", null, now, now, null), CancellationToken.None))
            .ToList();
        var outcomes = await Task.WhenAll(creates.Select(async create =>
        {
            try
            {
                await create;
                return true;
            }
            catch (OrchestrationAlreadyExistsException)
            {
                return false;
            }
        }));

        Assert.Equal(40, outcomes.Count(created => created));
        var page = await store.QueryAsync(new InstanceQuery(PageSize: 100), CancellationToken.None);
        Assert.Equal(41, page.Instances.Count);
    }
}
