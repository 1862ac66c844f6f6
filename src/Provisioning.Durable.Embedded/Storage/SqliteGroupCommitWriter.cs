using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// The single owner of the store's connection. Operations from every instance and dispatcher queue here; the writer
/// runs whatever has queued up as one transaction, so one commit (one fsync) covers many state changes — group
/// commit. An operation that throws is taken out and the rest of the batch is run again, so one bad request never
/// fails its neighbours; operations are pure functions of the database, which makes the re-run safe.
/// <para>
/// Only state changes need to survive power loss. Leases and reads do not (after a power loss every holder of a
/// lease is gone anyway), so a batch made only of those commits without syncing; the next durable commit's sync
/// covers its pages too. Checkpoints are run here, only by durable batches, so an unsynced commit never lets a
/// checkpoint reset the log before the database file is synced. They run every <see cref="CheckpointEveryCommits"/>
/// durable commits when those are small (see <see cref="CheckpointMaxOperations"/>), so that the log, restarted after each, stays short and its next commits overwrite bytes the file
/// already has: syncing a write that grows a file also syncs its new size (on this project's ext4 disk,
/// 290 µs against 145 µs for an overwrite). At 500 the log grew by megabytes between restarts and most synced commits
/// were appends. (A checkpoint on a connection of its own, beside the writer, would not do: SQLite restarts the log
/// only once a checkpoint has copied all of it, which one running beside a steady stream of commits never does.)
/// </para>
/// <para>
/// A dispatcher's operation may run inline: when no batch is running and nothing waits in the queue, the caller runs
/// it itself and gets a completed task, so a sequential step (activity, episode, commit, next activity) stays on one
/// thread instead of waking the writer thread and then a pool thread for the continuation. When a batch is running or
/// operations wait, it queues as before, so under load commits still group on the writer thread. The commit is not
/// split from its sync (committing unsynced and syncing after, to overlap the next batch with the sync, would publish
/// an episode to readers, and to another process's dispatcher, before it is durable).
/// </para>
/// </summary>
internal sealed class SqliteGroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatchSize = 1024;
    private const int CheckpointEveryCommits = 64;

    // Frequent checkpoints pay off when commits are small and many (a sequential orchestration: one operation each),
    // where the sync dominates. Under large batches the log holds thousands of pages per 64 commits, and a checkpoint
    // copying them (and syncing the database file) on the writer's path costs more than the overwrites save: past this
    // many operations since the last checkpoint, the writer waits for CheckpointEveryCommitsUnderLoad instead.
    private const int CheckpointMaxOperations = 1024;
    private const int CheckpointEveryCommitsUnderLoad = 500;

    // Read by the writer thread and by inline callers. The writer's wake-up goes through the thread pool (no synchronous
    // continuations): that short delay lets a burst of operations gather into one batch.
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = false });

    // Ownership of the connection: the writer thread, or an inline caller (see ExecuteAsync), runs a batch under it.
    private readonly Lock _gate = new();

    // Set by an inline caller when it gives the connection back, for the writer thread waiting to take it. Waiting on
    // the lock itself would spin first, and a spin takes a core from the threads producing the work.
    private readonly ManualResetEventSlim _released = new(initialState: false, spinCount: 0);
    private readonly List<WriteOperation> _leaderBatch = new(MaxBatchSize);
    private readonly SqliteConnection _connection;
    private readonly SqliteSession _session;
    private readonly Task _loop;
    private bool _closed;
    private readonly string? _durableSynchronous;
    private string? _currentSynchronous;
    private int _commitsSinceCheckpoint;
    private long _operationsSinceCheckpoint;

    /// <param name="connection">The open connection, owned by the writer from now on.</param>
    /// <param name="durableSynchronous">The <c>synchronous</c> setting of durable batches (FULL); <c>null</c> keeps the
    /// connection's setting for every batch (in-memory, or NORMAL where no commit syncs anyway).</param>
    public SqliteGroupCommitWriter(SqliteConnection connection, string? durableSynchronous)
    {
        _connection = connection;
        _durableSynchronous = durableSynchronous;
        _session = new SqliteSession(connection);
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>How many transactions have committed; with <see cref="OperationCount"/> it shows the batching achieved.</summary>
    public long CommitCount { get; private set; }

    /// <summary>How many operations have run.</summary>
    public long OperationCount { get; private set; }

    /// <summary>How many of the commits were synced to disk (durable batches under <c>synchronous = FULL</c>).</summary>
    public long SyncedCommitCount { get; private set; }

    /// <summary>Queues <paramref name="operation"/> for the next batch.</summary>
    /// <param name="operation">Reads and writes through the session; runs on the writer thread (or, inline, the caller's).</param>
    /// <param name="cancellationToken">Cancels before queuing only: once queued the operation runs.</param>
    /// <param name="durable"><c>false</c> for reads and leases, which need not survive power loss.</param>
    /// <param name="inline"><c>true</c> lets the calling thread run the batch itself when the connection is idle and
    /// nothing is queued (it then returns a completed task): the engine's own dispatchers, whose next step waits for
    /// this commit, so a sequential step costs no thread hand-over. Otherwise the operation queues as usual.</param>
    public Task<T> ExecuteAsync<T>(Func<SqliteSession, T> operation, CancellationToken cancellationToken, bool durable = true, bool inline = false)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new WriteOperation<T>(operation, durable);
        if (inline && _queue.Reader.Count == 0 && _gate.TryEnter())
        {
            try
            {
                if (_closed)
                {
                    throw new ObjectDisposedException(nameof(SqliteGroupCommitWriter), "The durable store has been closed.");
                }

                // Whatever queued before this call joins its batch (first, in order): one commit covers them all.
                var batch = _leaderBatch;
                batch.Clear();
                while (batch.Count < MaxBatchSize - 1 && _queue.Reader.TryRead(out var queued))
                {
                    batch.Add(queued);
                }

                batch.Add(item);
                RunBatch(batch);
                batch.Clear();
            }
            finally
            {
                _gate.Exit();
                _released.Set();
            }

            return item.Task;
        }

        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteGroupCommitWriter), "The durable store has been closed.");
        }

        return item.Task;
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            // No inline caller starts a batch from now on; queued operations still run on the writer thread.
            _closed = true;
            _queue.Writer.TryComplete();
        }

        await _loop;
        _released.Dispose();
        _session.Dispose();
        await _connection.DisposeAsync();
    }

    private void Run()
    {
        var batch = new List<WriteOperation>(MaxBatchSize);
        using var ready = new ManualResetEventSlim(initialState: false, spinCount: 0);
        while (WaitForWork(ready))
        {
            EnterWithoutSpinning();
            try
            {
                // An inline caller may have run what woke this thread: then there is nothing left to do.
                batch.Clear();
                while (batch.Count < MaxBatchSize && _queue.Reader.TryRead(out var operation))
                {
                    batch.Add(operation);
                }

                if (batch.Count > 0)
                {
                    RunBatch(batch);
                }
            }
            finally
            {
                _gate.Exit();
            }
        }
    }

    private void EnterWithoutSpinning()
    {
        while (true)
        {
            // Reset before trying: a caller that gives the connection back after the try sets the event after it.
            _released.Reset();
            if (_gate.TryEnter())
            {
                return;
            }

            _released.Wait();
        }
    }

    /// <summary>
    /// Blocks the writer thread until work queues up (or the queue closes) without spinning: a synchronous wait on the
    /// channel's task spins first, and on a small machine that spin takes a core from the threads producing the work.
    /// </summary>
    private bool WaitForWork(ManualResetEventSlim ready)
    {
        var wait = _queue.Reader.WaitToReadAsync();
        if (wait.IsCompleted)
        {
            return wait.GetAwaiter().GetResult();
        }

        ready.Reset();
        var awaiter = wait.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(ready.Set);
        ready.Wait();
        return awaiter.GetResult();
    }

    private void RunBatch(List<WriteOperation> batch)
    {
        var durable = batch.Exists(operation => operation.Durable);
        while (batch.Count > 0)
        {
            WriteOperation? failed = null;
            Exception? failure = null;
            try
            {
                SetSynchronous(durable ? _durableSynchronous : "OFF");
                _session.Execute("BEGIN IMMEDIATE");
            }
            catch (SqliteException exception)
            {
                FailAll(batch, exception);
                return;
            }

            foreach (var operation in batch)
            {
                try
                {
                    operation.Run(_session);
                }
#pragma warning disable CA1031 // The failure belongs to the caller of that operation; it is handed over, not swallowed.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    failed = operation;
                    failure = exception;
                    break;
                }
            }

            if (failed is not null)
            {
                Rollback();
                failed.Fail(failure!);
                batch.Remove(failed);
                continue;
            }

            try
            {
                _session.Execute("COMMIT");
            }
            catch (SqliteException exception)
            {
                Rollback();
                FailAll(batch, exception);
                return;
            }

            CommitCount++;
            OperationCount += batch.Count;
            var synced = durable && _durableSynchronous is not null;
            if (synced)
            {
                SyncedCommitCount++;
            }

            _operationsSinceCheckpoint += batch.Count;
            if (synced && ++_commitsSinceCheckpoint >= CheckpointEveryCommits
                && (_operationsSinceCheckpoint <= CheckpointMaxOperations || _commitsSinceCheckpoint >= CheckpointEveryCommitsUnderLoad))
            {
                _commitsSinceCheckpoint = 0;
                _operationsSinceCheckpoint = 0;
                Checkpoint();
            }

            foreach (var operation in batch)
            {
                operation.Complete();
            }

            return;
        }
    }

    private void SetSynchronous(string? setting)
    {
        if (_durableSynchronous is null || setting == _currentSynchronous)
        {
            return;
        }

        _session.Execute(setting == "FULL" ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF");
        _currentSynchronous = setting;
    }

    private void Checkpoint()
    {
        try
        {
            _session.Scalar("PRAGMA wal_checkpoint(PASSIVE)");
        }
        catch (SqliteException)
        {
            // Busy readers in another process: the next checkpoint catches up.
        }
    }

    private void Rollback()
    {
        try
        {
            _session.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite may already have rolled back (e.g. after SQLITE_FULL); nothing is left to undo.
        }
    }

    private static void FailAll(List<WriteOperation> batch, Exception exception)
    {
        foreach (var operation in batch)
        {
            operation.Fail(exception);
        }
    }

    private abstract class WriteOperation(bool durable)
    {
        public bool Durable => durable;

        public abstract void Run(SqliteSession session);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T>(Func<SqliteSession, T> operation, bool durable) : WriteOperation(durable)
    {
        // Continuations run off the writer thread, which must go straight back to writing.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override void Run(SqliteSession session) => _result = operation(session);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
