using Microsoft.Data.Sqlite;
using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// The store on SQLite: one file in WAL mode (or a private in-memory database when persistence is off). Every
/// operation that writes, or that reads in order to write (leases), goes through the group-commit writer, which owns
/// the only writing connection; that keeps leases, history and messages consistent without cross-connection locking.
/// Plain reads (instances, histories, queries) of a file run on a small pool of read-only connections instead, which
/// WAL lets run while the writer is busy; they see every commit that completed before they started. A private
/// in-memory database exists on one connection only, so there they stay on the writer.
/// </summary>
internal sealed class SqliteInstanceStore : IInstanceStore
{
    private const string InstanceColumns = "instance_id, name, execution_id, status, input, output, custom_status, failure, parent, created_at, updated_at, history_count, trace_parent";

    // A query that does not fetch inputs and outputs reads the same row shape without copying the large columns.
    private const string InstanceColumnsWithoutData = "instance_id, name, execution_id, status, NULL, NULL, NULL, failure, parent, created_at, updated_at, history_count, trace_parent";

    // The writer's page cache. SQLite's default (2 MiB) holds the pages of a few hundred instances; past that, every
    // operation re-reads pages through the log's index and the OS, which made a busy file store use twice the processor
    // time of an in-memory one. Pages are allocated only as the database grows, so a small store stays small.
    private const int WriterCacheKiB = 32 * 1024;

    private readonly string _databasePath;
    private readonly bool _inMemory;
    private readonly StoreDurability _durability;
    private readonly string _hubName;
    private readonly TimeProvider _time;
    private SqliteGroupCommitWriter? _writer;
    private SqliteReaderPool? _readers;

    public SqliteInstanceStore(string databasePath, bool inMemory, StoreDurability durability, string hubName, TimeProvider time)
    {
        _databasePath = inMemory ? ":memory:" : Path.GetFullPath(databasePath);
        _inMemory = inMemory;
        _durability = durability;
        _hubName = hubName;
        _time = time;
    }

    /// <summary>Transactions committed so far (for the benchmark's batching figure).</summary>
    public long CommitCount => _writer?.CommitCount ?? 0;

    /// <summary>Operations run so far.</summary>
    public long OperationCount => _writer?.OperationCount ?? 0;

    /// <summary>Commits synced to disk so far: what a durable step pays for.</summary>
    public long SyncedCommitCount => _writer?.SyncedCommitCount ?? 0;

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (!_inMemory)
        {
            var directory = Path.GetDirectoryName(_databasePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = _inMemory ? SqliteOpenMode.Memory : SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            ConfigureConnection(connection);
            SqliteSchema.EnsureCreated(connection, _databasePath, _hubName, _time.GetUtcNow());
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is 26 or 11)
        {
            connection.Dispose();
            throw new DurableStoreException(_databasePath, $"the file is not a SQLite database or is corrupt ({exception.Message}). Move it away or point DatabasePath at another file.", exception);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        _writer = new SqliteGroupCommitWriter(connection, !_inMemory && _durability == StoreDurability.Full ? "FULL" : null);
        if (!_inMemory)
        {
            _readers = new SqliteReaderPool(_databasePath, Math.Clamp(Environment.ProcessorCount * 2, 4, 16), _durability == StoreDurability.Full ? "FULL" : "NORMAL");
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Readers first, so the writer's connection is the last to close (and the one that checkpoints the log).
        if (_readers is not null)
        {
            await _readers.DisposeAsync();
            _readers = null;
        }

        if (_writer is not null)
        {
            await _writer.DisposeAsync();
            _writer = null;
        }
    }

    public async Task CreateInstanceAsync(NewInstance instance, CancellationToken cancellationToken)
    {
        // A taken id is reported as a result, not thrown inside the batch: TryCreate writes nothing when it refuses,
        // so the batch commits as is instead of being rolled back and run again without this operation.
        var start = StoreJson.Write(instance.StartMessage.Event);
        var parent = StoreJson.WriteOptional(instance.Parent);
        var existing = await Writer.ExecuteAsync(
            session => TryCreate(session, instance, start, parent, out var status) ? (OrchestrationRuntimeStatus?)null : status,
            cancellationToken);
        if (existing is { } status)
        {
            throw new OrchestrationAlreadyExistsException(instance.InstanceId, status);
        }
    }

    public async Task<IReadOnlyList<ActivityWorkItem>> CreateInstanceWithEpisodeAsync(NewInstance instance, EpisodeCommit firstEpisode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(firstEpisode);
        var parent = StoreJson.WriteOptional(instance.Parent);
        var encoded = EncodedEpisode.Of(firstEpisode);
        var (existing, stored) = await Writer.ExecuteAsync(
            session => TryCreate(session, instance, startEvent: null, parent, out var status)
                ? ((OrchestrationRuntimeStatus?)null, WriteEpisode(session, firstEpisode, encoded))
                : (status, []),
            cancellationToken);
        if (existing is { } taken)
        {
            throw new OrchestrationAlreadyExistsException(instance.InstanceId, taken);
        }

        return stored;
    }

    public Task<InstanceRecord?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken)
        => ReadAsync(session => ReadInstance(session, instanceId), cancellationToken);

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken)
        => ReadAsync<IReadOnlyList<HistoryEvent>>(
            session =>
            {
                var history = new List<HistoryEvent>();
                using var reader = session.Query("SELECT event FROM history WHERE instance_id = $id ORDER BY seq", ("$id", instanceId));
                while (reader.Read())
                {
                    history.Add(StoreJson.Read<HistoryEvent>(reader.GetString(0)));
                }

                return history;
            },
            cancellationToken);

    public Task SendClientMessageAsync(string instanceId, HistoryEvent message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var json = StoreJson.Write(message);
        return Writer.ExecuteAsync(
            session =>
            {
                var status = ReadStatus(session, instanceId) ?? throw new OrchestrationNotFoundException(instanceId);
                if (status.IsTerminal())
                {
                    throw new OrchestrationNotRunningException(instanceId, status);
                }

                InsertMessage(session, new OrchestrationMessage(0, instanceId, null, message, now), json);
                return true;
            },
            cancellationToken);
    }

    public Task<int> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken)
        => Writer.ExecuteAsync(
            session =>
            {
                var status = ReadStatus(session, instanceId);
                if (status is null)
                {
                    return 0;
                }

                if (!status.Value.IsTerminal())
                {
                    throw new InvalidOperationException($"The orchestration instance '{instanceId}' is {status} and cannot be purged until it finishes.");
                }

                DeleteInstance(session, instanceId);
                return 1;
            },
            cancellationToken);

    public Task<int> PurgeInstancesAsync(InstancePurgeFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = (filter.RuntimeStatuses is { Count: > 0 } requested ? requested : Enum.GetValues<OrchestrationRuntimeStatus>())
            .Where(status => status.IsTerminal())
            .Select(status => status.ToString())
            .ToHashSet(StringComparer.Ordinal);
        return Writer.ExecuteAsync(
            session =>
            {
                var ids = new List<string>();
                using (var reader = session.Query(
                    "SELECT instance_id, status FROM instances WHERE created_at >= $from AND created_at <= $to",
                    ("$from", (filter.CreatedFrom ?? DateTimeOffset.MinValue).UtcTicks),
                    ("$to", (filter.CreatedTo ?? DateTimeOffset.MaxValue).UtcTicks)))
                {
                    while (reader.Read())
                    {
                        if (statuses.Contains(reader.GetString(1)))
                        {
                            ids.Add(reader.GetString(0));
                        }
                    }
                }

                foreach (var id in ids)
                {
                    DeleteInstance(session, id);
                }

                return ids.Count;
            },
            cancellationToken);
    }

    public Task<(IReadOnlyList<InstanceRecord> Instances, string? ContinuationToken)> QueryAsync(InstanceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        // Enum names, never user text, so they can be written into the query.
        var statuses = query.RuntimeStatuses is { Count: > 0 } requested ? requested.Select(status => status.ToString()).Order(StringComparer.Ordinal).Distinct().ToList() : null;
        return ReadAsync<(IReadOnlyList<InstanceRecord>, string?)>(
            session =>
            {
                var page = new List<InstanceRecord>(pageSize);
                string? lastId = null;
                var after = query.ContinuationToken ?? string.Empty;
                var prefix = query.InstanceIdPrefix ?? string.Empty;

                // Keyset paging over the primary key within the prefix's range (ids with a prefix are one contiguous
                // range of the key); the status filter is part of the query so a page stays full.
                var end = PrefixEnd(prefix);
                var endFilter = end is null ? string.Empty : " AND instance_id < $end";
                var statusFilter = statuses is null ? string.Empty : $" AND status IN ({string.Join(", ", statuses.Select(status => $"'{status}'"))})";
                using var reader = session.Query(
                    $"SELECT {(query.FetchInputsAndOutputs ? InstanceColumns : InstanceColumnsWithoutData)} FROM instances WHERE instance_id > $after AND instance_id >= $prefix{endFilter}{statusFilter} AND created_at >= $from AND created_at <= $to ORDER BY instance_id",
                    ("$after", after),
                    ("$prefix", prefix),
                    ("$end", end),
                    ("$from", (query.CreatedFrom ?? DateTimeOffset.MinValue).UtcTicks),
                    ("$to", (query.CreatedTo ?? DateTimeOffset.MaxValue).UtcTicks));
                while (reader.Read())
                {
                    if (!reader.GetString(0).StartsWith(prefix, StringComparison.Ordinal))
                    {
                        break;
                    }

                    if (page.Count == pageSize)
                    {
                        return (page, lastId);
                    }

                    var record = ReadInstanceRow(reader);
                    page.Add(record);
                    lastId = record.InstanceId;
                }

                return (page, null);
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<OrchestrationWorkItem>> LockOrchestrationsAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        // The messages' events are parsed after the batch, off the connection: the batch only copies their JSON.
        var locked = await Writer.ExecuteAsync(
            session =>
            {
                var ids = new List<string>();

                // A pending instance only takes its start or a control message, a suspended one only control
                // messages; everything else waits in the queue until the instance can use it.
                using (var reader = session.Query(
                    """
                    SELECT DISTINCT m.instance_id FROM messages m JOIN instances i ON i.instance_id = m.instance_id
                    WHERE m.visible_at <= $now
                      AND (i.lock_owner IS NULL OR (i.lock_owner <> $owner AND i.lock_expires <= $now))
                      AND (i.status NOT IN ('Pending', 'Suspended')
                           OR (i.status = 'Pending' AND m.event_type IN (0, 1, 2, 3))
                           OR (i.status = 'Suspended' AND m.event_type IN (1, 2, 3)))
                    LIMIT $max
                    """,
                    ("$now", now.UtcTicks),
                    ("$owner", owner),
                    ("$max", max)))
                {
                    while (reader.Read())
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                var items = new List<(InstanceRecord Instance, List<(long Id, string? ExecutionId, string Event, long VisibleAt)> Messages)>(ids.Count);
                foreach (var id in ids)
                {
                    session.Execute("UPDATE instances SET lock_owner = $owner, lock_expires = $expires WHERE instance_id = $id", ("$owner", owner), ("$expires", leaseUntil.UtcTicks), ("$id", id));
                    var instance = ReadInstance(session, id)!;
                    var messages = new List<(long Id, string? ExecutionId, string Event, long VisibleAt)>();
                    using (var reader = session.Query(
                        "SELECT id, execution_id, event, visible_at FROM messages WHERE instance_id = $id AND visible_at <= $now ORDER BY id",
                        ("$id", id),
                        ("$now", now.UtcTicks)))
                    {
                        while (reader.Read())
                        {
                            messages.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
                        }
                    }

                    items.Add((instance, messages));
                }

                return items;
            },
            cancellationToken,
            durable: false);
        return locked.ConvertAll(item => new OrchestrationWorkItem(
            item.Instance,
            item.Messages.ConvertAll(m => new OrchestrationMessage(m.Id, item.Instance.InstanceId, m.ExecutionId, StoreJson.Read<HistoryEvent>(m.Event), FromTicks(m.VisibleAt)))));
    }

    public Task<IReadOnlyList<ActivityWorkItem>?> CommitEpisodeAsync(EpisodeCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var encoded = EncodedEpisode.Of(commit);
        return Writer.ExecuteAsync<IReadOnlyList<ActivityWorkItem>?>(
            session =>
            {
                // The lease check and the writes are one transaction: a worker whose lease was taken over writes nothing.
                var holder = session.Scalar("SELECT lock_owner FROM instances WHERE instance_id = $id", ("$id", commit.State.InstanceId)) as string;
                return string.Equals(holder, commit.LockOwner, StringComparison.Ordinal) ? WriteEpisode(session, commit, encoded) : null;
            },
            cancellationToken,
            inline: true);
    }

    public Task<(ActivityEpisodeResult Result, IReadOnlyList<ActivityWorkItem> Activities)> CompleteActivityWithEpisodeAsync(
        ActivityWorkItem item, OrchestrationMessage outcome, EpisodeCommit commit, int expectedHistoryCount, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(commit);
        var encoded = EncodedEpisode.Of(commit);
        return Writer.ExecuteAsync<(ActivityEpisodeResult, IReadOnlyList<ActivityWorkItem>)>(
            session =>
            {
                if (session.Execute("DELETE FROM activities WHERE id = $id AND lock_owner = $owner", ("$id", item.Id), ("$owner", commit.LockOwner)) == 0)
                {
                    return (ActivityEpisodeResult.LeaseLost, []);
                }

                // The episode applies only to the state it ran on: the same generation and history, still running, no
                // lease held by a dispatcher, and no stored message that it would have had to see first.
                var current = session.Scalar(
                    """
                    SELECT 1 FROM instances
                    WHERE instance_id = $id AND execution_id = $execution AND status = 'Running' AND history_count = $count
                      AND (lock_owner IS NULL OR (lock_owner <> $owner AND lock_expires <= $now))
                      AND NOT EXISTS (SELECT 1 FROM messages WHERE instance_id = $id AND visible_at <= $now)
                    """,
                    ("$id", item.InstanceId),
                    ("$execution", item.ExecutionId),
                    ("$count", expectedHistoryCount),
                    ("$owner", commit.LockOwner),
                    ("$now", now.UtcTicks));
                if (current is null)
                {
                    InsertMessage(session, outcome);
                    return (ActivityEpisodeResult.Queued, []);
                }

                return (ActivityEpisodeResult.Committed, WriteEpisode(session, commit, encoded));
            },
            cancellationToken,
            inline: true);
    }

    private static List<ActivityWorkItem> WriteEpisode(SqliteSession session, EpisodeCommit commit, EncodedEpisode encoded)
    {
        var state = commit.State;
        if (commit.ResetHistory)
        {
            session.Execute("DELETE FROM history WHERE instance_id = $id", ("$id", state.InstanceId));
        }

        var sequence = state.HistoryCount - commit.AppendedHistory.Count;
        foreach (var historyEvent in encoded.History)
        {
            session.Execute(
                "INSERT INTO history (instance_id, seq, event) VALUES ($id, $seq, $event)",
                ("$id", state.InstanceId),
                ("$seq", sequence++),
                ("$event", historyEvent));
        }

        foreach (var messageId in commit.ConsumedMessageIds)
        {
            session.Execute("DELETE FROM messages WHERE id = $id", ("$id", messageId));
        }

        session.Execute(
            """
            UPDATE instances SET name = $name, execution_id = $execution, status = $status, input = $input, output = $output,
                custom_status = $custom, failure = $failure, updated_at = $updated, history_count = $count,
                lock_owner = NULL, lock_expires = NULL
            WHERE instance_id = $id
            """,
            ("$name", state.Name),
            ("$execution", state.ExecutionId),
            ("$status", state.Status.ToString()),
            ("$input", state.Input),
            ("$output", state.Output),
            ("$custom", state.CustomStatus),
            ("$failure", encoded.Failure),
            ("$updated", state.LastUpdatedAt.UtcTicks),
            ("$count", state.HistoryCount),
            ("$id", state.InstanceId));

        for (var i = 0; i < commit.Messages.Count; i++)
        {
            var message = commit.Messages[i];
            // An event sent to an instance that does not exist or has finished is dropped, as Durable Task does.
            if (message.ExecutionId is null && message.InstanceId != state.InstanceId
                && (ReadStatus(session, message.InstanceId) is not { } target || target.IsTerminal()))
            {
                continue;
            }

            InsertMessage(session, message, encoded.Messages[i]);
        }

        var stored = new List<ActivityWorkItem>(commit.Activities.Count);
        foreach (var activity in commit.Activities)
        {
            var id = (long)session.Scalar(
                "INSERT INTO activities (instance_id, execution_id, task_id, name, input, lock_owner, lock_expires) VALUES ($instance, $execution, $task, $name, $input, $owner, $expires) RETURNING id",
                ("$instance", activity.InstanceId),
                ("$execution", activity.ExecutionId),
                ("$task", activity.TaskId),
                ("$name", activity.Name),
                ("$input", activity.Input),
                ("$owner", commit.ActivityLeaseUntil is null ? null : commit.LockOwner),
                ("$expires", commit.ActivityLeaseUntil?.UtcTicks))!;
            stored.Add(activity with { Id = id });
        }

        foreach (var child in commit.Children)
        {
            if (!TryCreate(session, child, StoreJson.Write(child.StartMessage.Event), StoreJson.WriteOptional(child.Parent), out var existing))
            {
                // The child id is taken by a live instance: the parent learns it as a failed call.
                var failure = FailureRecord.FromException(new OrchestrationAlreadyExistsException(child.InstanceId, existing));
                var parent = child.Parent!;
                InsertMessage(session, new OrchestrationMessage(
                    0,
                    parent.InstanceId,
                    parent.ExecutionId,
                    new HistoryEvent(HistoryEventType.SubOrchestrationFailed, child.CreatedAt) { TaskId = parent.TaskId, Name = child.Name, Failure = failure },
                    child.CreatedAt));
            }
        }

        return stored;
    }

    public Task ReleaseOrchestrationAsync(string instanceId, string owner, CancellationToken cancellationToken)
        => Writer.ExecuteAsync(
            session => session.Execute(
                "UPDATE instances SET lock_owner = NULL, lock_expires = NULL WHERE instance_id = $id AND lock_owner = $owner",
                ("$id", instanceId),
                ("$owner", owner)),
            cancellationToken,
            durable: false);

    public Task<IReadOnlyList<ActivityWorkItem>> LockActivitiesAsync(string owner, int max, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
        => Writer.ExecuteAsync<IReadOnlyList<ActivityWorkItem>>(
            session =>
            {
                var items = new List<ActivityWorkItem>();
                using (var reader = session.Query(
                    """
                    SELECT a.id, a.instance_id, a.execution_id, a.task_id, a.name, a.input, i.trace_parent
                    FROM activities a LEFT JOIN instances i ON i.instance_id = a.instance_id
                    WHERE a.lock_owner IS NULL OR (a.lock_owner <> $owner AND a.lock_expires <= $now) ORDER BY a.id LIMIT $max
                    """,
                    ("$owner", owner),
                    ("$now", now.UtcTicks),
                    ("$max", max)))
                {
                    while (reader.Read())
                    {
                        items.Add(new ActivityWorkItem(
                            reader.GetInt64(0),
                            reader.GetString(1),
                            reader.GetString(2),
                            reader.GetInt32(3),
                            reader.GetString(4),
                            reader.IsDBNull(5) ? null : reader.GetString(5))
                        {
                            TraceParent = reader.IsDBNull(6) ? null : reader.GetString(6),
                        });
                    }
                }

                foreach (var item in items)
                {
                    session.Execute("UPDATE activities SET lock_owner = $owner, lock_expires = $expires WHERE id = $id", ("$owner", owner), ("$expires", leaseUntil.UtcTicks), ("$id", item.Id));
                }

                return items;
            },
            cancellationToken,
            durable: false);

    public Task<bool> CompleteActivityAsync(ActivityWorkItem item, string owner, OrchestrationMessage outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(outcome);
        var json = StoreJson.Write(outcome.Event);

        // Not synced on its own: nothing outside the engine has seen this outcome yet, and the episode that consumes
        // it syncs it. Should power fail in between, the call and its lease come back together, unfinished, and the
        // activity runs again, which at-least-once allows. That saves one sync per step of a sequential orchestration.
        return Writer.ExecuteAsync(
            session =>
            {
                if (session.Execute("DELETE FROM activities WHERE id = $id AND lock_owner = $owner", ("$id", item.Id), ("$owner", owner)) == 0)
                {
                    return false;
                }

                InsertMessage(session, outcome, json);
                return true;
            },
            cancellationToken,
            durable: false);
    }

    public Task RenewLeasesAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
        => Writer.ExecuteAsync(
            session =>
            {
                session.Execute("UPDATE instances SET lock_expires = $expires WHERE lock_owner = $owner", ("$owner", owner), ("$expires", leaseUntil.UtcTicks));
                return session.Execute("UPDATE activities SET lock_expires = $expires WHERE lock_owner = $owner", ("$owner", owner), ("$expires", leaseUntil.UtcTicks));
            },
            cancellationToken,
            durable: false);

    public Task ReleaseAllLeasesAsync(string owner, CancellationToken cancellationToken)
        => Writer.ExecuteAsync(
            session =>
            {
                session.Execute("UPDATE instances SET lock_owner = NULL, lock_expires = NULL WHERE lock_owner = $owner", ("$owner", owner));
                return session.Execute("UPDATE activities SET lock_owner = NULL, lock_expires = NULL WHERE lock_owner = $owner", ("$owner", owner));
            },
            cancellationToken,
            durable: false);

    public Task<DateTimeOffset?> GetNextVisibleTimeAsync(DateTimeOffset now, CancellationToken cancellationToken)
        => Writer.ExecuteAsync(
            session => session.Scalar("SELECT MIN(visible_at) FROM messages WHERE visible_at > $now", ("$now", now.UtcTicks)) is long ticks ? FromTicks(ticks) : (DateTimeOffset?)null,
            cancellationToken,
            durable: false);

    private SqliteGroupCommitWriter Writer => _writer ?? throw new InvalidOperationException("The durable store has not been initialized.");

    /// <summary>A read that writes nothing: on a read connection for a file, on the writer for an in-memory database.</summary>
    private Task<T> ReadAsync<T>(Func<SqliteSession, T> read, CancellationToken cancellationToken)
        => _readers is { } readers ? readers.ReadAsync(read, cancellationToken) : Writer.ExecuteAsync(read, cancellationToken, durable: false);

    private void ConfigureConnection(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();

        // WAL: readers never block the writer and a commit is one sequential append. FULL syncs the WAL on every
        // commit (a committed episode survives power loss); NORMAL syncs only at checkpoints (survives a process
        // crash, may lose the last commits on power loss). Group commit makes FULL affordable. Under FULL the writer
        // runs the checkpoints itself (see SqliteGroupCommitWriter), so automatic ones are off.
        var synchronous = _durability == StoreDurability.Full ? "FULL" : "NORMAL";
        command.CommandText = _inMemory
            ? "PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;"
            : $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = 30000; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = {(_durability == StoreDurability.Full ? 0 : 1000)}; PRAGMA cache_size = -{WriterCacheKiB};";
        command.ExecuteNonQuery();
    }

    // startEvent: the start message's event as JSON; null when the first episode is written with the instance instead.
    private static bool TryCreate(SqliteSession session, NewInstance instance, string? startEvent, string? parent, out OrchestrationRuntimeStatus existing)
    {
        var status = ReadStatus(session, instance.InstanceId);
        existing = status ?? OrchestrationRuntimeStatus.Pending;
        if (status is { } current)
        {
            if (!current.IsTerminal() || instance.DedupeStatuses?.Contains(current) == true)
            {
                return false;
            }

            // A finished id starts afresh: its old generation, and anything still addressed to it, goes.
            DeleteInstance(session, instance.InstanceId);
        }

        session.Execute(
            """
            INSERT INTO instances (instance_id, name, execution_id, status, input, parent, created_at, updated_at, history_count, trace_parent)
            VALUES ($id, $name, $execution, 'Pending', $input, $parent, $created, $created, 0, $trace)
            """,
            ("$id", instance.InstanceId),
            ("$name", instance.Name),
            ("$execution", instance.ExecutionId),
            ("$input", instance.Input),
            ("$parent", parent),
            ("$created", instance.CreatedAt.UtcTicks),
            ("$trace", instance.TraceParent));
        if (startEvent is not null)
        {
            InsertMessage(session, instance.StartMessage, startEvent);
        }

        return true;
    }

    private static void DeleteInstance(SqliteSession session, string instanceId)
    {
        session.Execute("DELETE FROM history WHERE instance_id = $id", ("$id", instanceId));
        session.Execute("DELETE FROM messages WHERE instance_id = $id", ("$id", instanceId));
        session.Execute("DELETE FROM activities WHERE instance_id = $id", ("$id", instanceId));
        session.Execute("DELETE FROM instances WHERE instance_id = $id", ("$id", instanceId));
    }

    private static void InsertMessage(SqliteSession session, OrchestrationMessage message)
        => InsertMessage(session, message, StoreJson.Write(message.Event));

    // eventJson: the message's event as JSON, made by the caller outside the batch.
    private static void InsertMessage(SqliteSession session, OrchestrationMessage message, string eventJson)
        => session.Execute(
            "INSERT INTO messages (instance_id, execution_id, event_type, visible_at, event) VALUES ($instance, $execution, $type, $visible, $event)",
            ("$instance", message.InstanceId),
            ("$execution", message.ExecutionId),
            ("$type", (int)message.Event.Type),
            ("$visible", message.VisibleAt.UtcTicks),
            ("$event", eventJson));

    private static OrchestrationRuntimeStatus? ReadStatus(SqliteSession session, string instanceId)
        => session.Scalar("SELECT status FROM instances WHERE instance_id = $id", ("$id", instanceId)) is string status
            ? Enum.Parse<OrchestrationRuntimeStatus>(status)
            : null;

    private static InstanceRecord? ReadInstance(SqliteSession session, string instanceId)
    {
        using var reader = session.Query($"SELECT {InstanceColumns} FROM instances WHERE instance_id = $id", ("$id", instanceId));
        return reader.Read() ? ReadInstanceRow(reader) : null;
    }

    private static InstanceRecord ReadInstanceRow(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        Enum.Parse<OrchestrationRuntimeStatus>(reader.GetString(3)),
        FromTicks(reader.GetInt64(9)),
        FromTicks(reader.GetInt64(10)))
    {
        Input = reader.IsDBNull(4) ? null : reader.GetString(4),
        Output = reader.IsDBNull(5) ? null : reader.GetString(5),
        CustomStatus = reader.IsDBNull(6) ? null : reader.GetString(6),
        Failure = StoreJson.ReadOptional<FailureRecord>(reader.IsDBNull(7) ? null : reader.GetString(7)),
        Parent = StoreJson.ReadOptional<ParentReference>(reader.IsDBNull(8) ? null : reader.GetString(8)),
        HistoryCount = reader.GetInt32(11),
        TraceParent = reader.IsDBNull(12) ? null : reader.GetString(12),
    };

    /// <summary>
    /// The least string above every id that starts with <paramref name="prefix"/>: its last character plus one (SQLite
    /// compares UTF-8 bytes, which orders as code points do). Null when there is none to compute simply (no prefix, or
    /// a last character without a successor in the basic plane); the prefix check while reading then ends the range.
    /// </summary>
    private static string? PrefixEnd(string prefix)
    {
        if (prefix.Length == 0 || char.IsSurrogate(prefix[^1]) || prefix[^1] == char.MaxValue || char.IsSurrogate((char)(prefix[^1] + 1)))
        {
            return null;
        }

        return string.Concat(prefix.AsSpan(0, prefix.Length - 1), [(char)(prefix[^1] + 1)]);
    }

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);
}
