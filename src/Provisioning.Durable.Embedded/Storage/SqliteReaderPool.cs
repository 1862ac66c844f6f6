using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// A few read-only connections to the store's file, so that reads never queue behind the group-commit writer: in
/// WAL mode a reader sees the last committed state while the writer is busy. Each read is one autocommit statement
/// (or a few, for a page) on a connection of its own, so it sees every transaction committed before it started;
/// since the writer completes an operation only after its COMMIT, a read made after a write returned sees that write.
/// Opened lazily, after the writer has created or validated the schema.
/// </summary>
internal sealed class SqliteReaderPool : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly int _size;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private volatile bool _disposed;

    /// <param name="databasePath">The store's file, already created by the writer.</param>
    /// <param name="size">How many reads may run at once.</param>
    /// <param name="synchronous">The file's <c>synchronous</c> setting, which a connection uses should it be the last to close.</param>
    public SqliteReaderPool(string databasePath, int size, string synchronous)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        _synchronous = synchronous;
        _size = size;
        _slots = new SemaphoreSlim(size, size);
    }

    /// <summary>Runs <paramref name="read"/> on an idle read connection (opening one if none is idle), inline once a slot is free.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteSession, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteSession? session = null;
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            session = _idle.TryTake(out var idle) ? idle : Open();
            var result = read(session);
            _idle.Add(session);
            session = null;
            return result;
        }
        finally
        {
            // A read that failed leaves nothing to trust on its connection: it is closed, and the next read opens another.
            if (session is not null)
            {
                Close(session);
            }

            _slots.Release();
        }
    }

    /// <summary>Waits for the reads under way, then closes every connection. Reads asked for later throw.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var i = 0; i < _size; i++)
        {
            await _slots.WaitAsync().ConfigureAwait(false);
        }

        while (_idle.TryTake(out var session))
        {
            Close(session);
        }

        // Readers that were already waiting for a slot get one, see the pool closed and throw.
        _slots.Release(_size);
    }

    private SqliteSession Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();

            // query_only: this connection can never write, whatever a bug asks of it. No automatic checkpoints from
            // here either (a reader never commits, and under FULL the writer runs them).
#pragma warning disable CA2100 // A constant of this assembly.
            command.CommandText = $"PRAGMA query_only = 1; PRAGMA busy_timeout = 30000; PRAGMA temp_store = MEMORY; PRAGMA synchronous = {_synchronous}; PRAGMA wal_autocheckpoint = 0;";
#pragma warning restore CA2100
            command.ExecuteNonQuery();
            return new SqliteSession(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Close(SqliteSession session)
    {
        var connection = session.Connection;
        session.Dispose();
        connection.Dispose();
    }
}
