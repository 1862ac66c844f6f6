using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// The store's tables, created on first use and checked on every open. A file that is not SQLite, that belongs to
/// another application, or that a newer engine wrote is refused with a <see cref="DurableStoreException"/>.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The schema this engine writes. Raise it with a migration step when the tables change.</summary>
    public const int CurrentVersion = 2;

    /// <summary>Marks the file as ours in the SQLite header ("PRVD"), so foreign files are told apart cheaply.</summary>
    public const int ApplicationId = 0x50525644;

    private const string CreateStatements = """
        CREATE TABLE schema_version (version INTEGER NOT NULL, hub_name TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE instances (
            instance_id   TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            execution_id  TEXT NOT NULL,
            status        TEXT NOT NULL,
            input         TEXT,
            output        TEXT,
            custom_status TEXT,
            failure       TEXT,
            parent        TEXT,
            created_at    INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL,
            history_count INTEGER NOT NULL DEFAULT 0,
            lock_owner    TEXT,
            lock_expires  INTEGER,
            trace_parent  TEXT);
        CREATE INDEX ix_instances_created ON instances (created_at);
        CREATE TABLE history (
            instance_id TEXT NOT NULL,
            seq         INTEGER NOT NULL,
            event       TEXT NOT NULL,
            PRIMARY KEY (instance_id, seq)) WITHOUT ROWID;
        CREATE TABLE messages (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id  TEXT NOT NULL,
            execution_id TEXT,
            event_type   INTEGER NOT NULL,
            visible_at   INTEGER NOT NULL,
            event        TEXT NOT NULL);
        CREATE INDEX ix_messages_visible ON messages (visible_at);
        CREATE INDEX ix_messages_instance ON messages (instance_id, id);
        CREATE TABLE activities (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id  TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            task_id      INTEGER NOT NULL,
            name         TEXT NOT NULL,
            input        TEXT,
            lock_owner   TEXT,
            lock_expires INTEGER);
        CREATE INDEX ix_activities_instance ON activities (instance_id);
        """;

    /// <summary>Creates the schema in an empty database, or checks that an existing one is ours and current.</summary>
    public static void EnsureCreated(SqliteConnection connection, string databasePath, string hubName, DateTimeOffset now)
    {
        List<string> tables;
        long applicationId;
        try
        {
            // Tables first: another process creates the tables and sets the application id in one transaction, so once
            // its tables are seen its id is too (read the other way round, a commit between the reads looks like a stranger's file).
            tables = ReadTables(connection);
            applicationId = (long)(ReadScalar(connection, "PRAGMA application_id") ?? 0L);
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode is 26 or 11)
        {
            // 26 = SQLITE_NOTADB, 11 = SQLITE_CORRUPT.
            throw new DurableStoreException(databasePath, $"the file is not a SQLite database or is corrupt ({exception.Message}). Move it away or point DatabasePath at another file.", exception);
        }

        if (tables.Count == 0)
        {
            using (var transaction = connection.BeginTransaction())
            {
                // The transaction holds the write lock (BEGIN IMMEDIATE). Another process that opened the same new file
                // at the same moment may have created the store since the read above, so look again under the lock.
                if (ReadTables(connection, transaction).Count == 0)
                {
                    Execute(connection, CreateStatements, transaction);
                    Execute(connection, "INSERT INTO schema_version (version, hub_name, created_at) VALUES ($v, $h, $c)", transaction, ("$v", CurrentVersion), ("$h", hubName), ("$c", now.ToString("O", CultureInfo.InvariantCulture)));
                    Execute(connection, $"PRAGMA application_id = {ApplicationId}", transaction);
                    transaction.Commit();
                    return;
                }
            }

            tables = ReadTables(connection);
            applicationId = (long)(ReadScalar(connection, "PRAGMA application_id") ?? 0L);
        }

        if (!tables.Contains("schema_version") || applicationId != ApplicationId)
        {
            throw new DurableStoreException(
                databasePath,
                $"it is a SQLite database of another application (application id {applicationId}, tables: {string.Join(", ", tables.Take(10))}), not a Provisioning durable store. Point DatabasePath at another file.");
        }

        long version;
        string storedHub;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT version, hub_name FROM schema_version";
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                throw new DurableStoreException(databasePath, "its schema_version table is empty, so its layout is unknown; the file is damaged.");
            }

            version = reader.GetInt64(0);
            storedHub = reader.GetString(1);
        }

        if (version > CurrentVersion)
        {
            throw NewerEngine(databasePath, version);
        }

        if (!string.Equals(storedHub, hubName, StringComparison.Ordinal))
        {
            throw new DurableStoreException(databasePath, $"it belongs to hub '{storedHub}', not '{hubName}'. Use one file per hub.");
        }

        if (version < CurrentVersion)
        {
            Migrate(connection, databasePath);
        }
    }

    // Each step takes the store one version up, under the write lock; a step another process already ran is skipped.
    private static void Migrate(SqliteConnection connection, string databasePath)
    {
        using var transaction = connection.BeginTransaction();
        var version = (long)(ReadScalar(connection, "SELECT version FROM schema_version", transaction) ?? 0L);
        if (version < 2)
        {
            // Version 2: the trace context of the request that created an instance, so its episodes and activities
            // join that trace after any restart. Instances created before have none: their spans start traces of their own.
            Execute(connection, "ALTER TABLE instances ADD COLUMN trace_parent TEXT", transaction);
        }

        if (version > CurrentVersion)
        {
            throw NewerEngine(databasePath, version);
        }

        Execute(connection, "UPDATE schema_version SET version = $v", transaction, ("$v", CurrentVersion));
        transaction.Commit();
    }

    private static DurableStoreException NewerEngine(string databasePath, long version) =>
        new(databasePath, $"it was written by a newer engine (schema version {version}; this engine knows up to {CurrentVersion}). Upgrade the engine or use another file.");

    private static List<string> ReadTables(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        var tables = new List<string>();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static object? ReadScalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Constant statements only.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction transaction, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant statements only.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
}
