using Microsoft.Data.Sqlite;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>
/// The store's writer on a real WAL file: operations run by a caller that finds the connection idle, the rest in
/// batches, and a log that is checkpointed often enough to be rewritten in place rather than grown.
/// </summary>
public sealed class GroupCommitWriterTests
{
    [Fact]
    public async Task A_caller_that_finds_the_connection_idle_runs_its_operation_itself()
    {
        using var database = new TempDatabase();
        await using var writer = OpenWriter(database.DatabasePath);

        var caller = Environment.CurrentManagedThreadId;
        var task = writer.ExecuteAsync(session => (Thread: Environment.CurrentManagedThreadId, Rows: Insert(session, 1)), CancellationToken.None, inline: true);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(caller, (await task).Thread);
        Assert.Equal(1, await writer.ExecuteAsync(CountRows, CancellationToken.None));
    }

    [Fact]
    public async Task Inline_and_queued_operations_from_many_threads_all_commit_once_each()
    {
        using var database = new TempDatabase();
        await using var writer = OpenWriter(database.DatabasePath);

        const int threads = 8;
        const int perThread = 150;
        var workers = Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            for (var i = 0; i < perThread; i++)
            {
                var value = (t * perThread) + i;
                Assert.Equal(1, await writer.ExecuteAsync(session => Insert(session, value), CancellationToken.None, durable: i % 3 != 0, inline: i % 2 == 0));
            }
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(threads * perThread, await writer.ExecuteAsync(CountRows, CancellationToken.None));
        Assert.Equal(threads * perThread, await writer.ExecuteAsync(session => Convert.ToInt32(session.Scalar("SELECT COUNT(DISTINCT v) FROM t"), System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_inline_operation_fails_alone_and_its_batch_neighbours_commit()
    {
        using var database = new TempDatabase();
        await using var writer = OpenWriter(database.DatabasePath);

        var failing = writer.ExecuteAsync<int>(_ => throw new InvalidOperationException("refused"), CancellationToken.None, inline: true);

        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        Assert.Equal(1, await writer.ExecuteAsync(session => Insert(session, 7), CancellationToken.None, inline: true));
        Assert.Equal(1, await writer.ExecuteAsync(CountRows, CancellationToken.None));
    }

    [Fact]
    public async Task Closing_while_callers_run_completes_or_refuses_every_operation_and_never_hangs()
    {
        using var database = new TempDatabase();
        var writer = OpenWriter(database.DatabasePath);
        using var stop = new CancellationTokenSource();
        var committed = 0;
        var workers = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    await writer.ExecuteAsync(session => Insert(session, (t * 1_000_000) + i), CancellationToken.None, inline: i % 2 == 0);
                    Interlocked.Increment(ref committed);
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        })).ToList();

        while (Volatile.Read(ref committed) < 50)
        {
            await Task.Delay(5);
        }

        await writer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();

        // Every operation that was reported committed is in the file.
        await using var connection = new SqliteConnection($"Data Source={database.DatabasePath};Pooling=false");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM t";
        Assert.Equal(Volatile.Read(ref committed), Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_log_is_checkpointed_often_so_it_is_rewritten_in_place_instead_of_growing()
    {
        // Syncing a write that grows a file also syncs its new size (a file-system journal commit); syncing a write over
        // bytes the file already has does not, and costs about half on common disks. A log restarted after each
        // checkpoint stays a few hundred pages long, so single commits land on bytes it already has.
        using var database = new TempDatabase();
        await using var writer = OpenWriter(database.DatabasePath);

        for (var i = 0; i < 400; i++)
        {
            await writer.ExecuteAsync(session => Insert(session, i), CancellationToken.None, inline: true);
        }

        var log = new FileInfo(database.DatabasePath + "-wal");
        Assert.True(log.Exists);
        Assert.True(log.Length < 1024 * 1024, $"the log is {log.Length} bytes after 400 single-row commits");
        Assert.Equal(400, await writer.ExecuteAsync(CountRows, CancellationToken.None));
    }

    private static SqliteGroupCommitWriter OpenWriter(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using var setup = connection.CreateCommand();
        setup.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL);";
        setup.ExecuteNonQuery();
        return new SqliteGroupCommitWriter(connection, "FULL");
    }

    private static int Insert(SqliteSession session, int value) => session.Execute("INSERT INTO t (v) VALUES ($v)", ("$v", value));

    private static int CountRows(SqliteSession session) => Convert.ToInt32(session.Scalar("SELECT COUNT(*) FROM t"), System.Globalization.CultureInfo.InvariantCulture);
}
