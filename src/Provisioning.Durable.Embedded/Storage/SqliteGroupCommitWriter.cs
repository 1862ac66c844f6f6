using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// The single owner of the store's connection. Operations from every instance and dispatcher queue here; the writer
/// runs whatever has queued up as one transaction, so one commit (one fsync) covers many state changes — group
/// commit. An operation that throws is taken out and the rest of the batch is run again, so one bad request never
/// fails its neighbours; operations are pure functions of the database, which makes the re-run safe.
/// </summary>
internal sealed class SqliteGroupCommitWriter : IAsyncDisposable
{
    private const int MaxBatchSize = 1024;

    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly SqliteSession _session;
    private readonly Task _loop;

    public SqliteGroupCommitWriter(SqliteConnection connection)
    {
        _connection = connection;
        _session = new SqliteSession(connection);
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>How many transactions have committed; with <see cref="OperationCount"/> it shows the batching achieved.</summary>
    public long CommitCount { get; private set; }

    /// <summary>How many operations have run.</summary>
    public long OperationCount { get; private set; }

    public Task<T> ExecuteAsync<T>(Func<SqliteSession, T> operation, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new WriteOperation<T>(operation);
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(SqliteGroupCommitWriter), "The durable store has been closed.");
        }

        return item.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _session.Dispose();
        await _connection.DisposeAsync();
    }

    private void Run()
    {
        var batch = new List<WriteOperation>(MaxBatchSize);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatchSize && _queue.Reader.TryRead(out var operation))
            {
                batch.Add(operation);
            }

            RunBatch(batch);
        }
    }

    private void RunBatch(List<WriteOperation> batch)
    {
        while (batch.Count > 0)
        {
            WriteOperation? failed = null;
            Exception? failure = null;
            try
            {
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
            foreach (var operation in batch)
            {
                operation.Complete();
            }

            return;
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

    private abstract class WriteOperation
    {
        public abstract void Run(SqliteSession session);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T>(Func<SqliteSession, T> operation) : WriteOperation
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
