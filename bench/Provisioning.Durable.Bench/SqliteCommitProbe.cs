using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Provisioning.Durable.Bench;

/// <summary>How many single-row transactions per second SQLite commits on this disk: the ceiling of any design that
/// syncs once per step, and the reason group commit matters.</summary>
public static class SqliteCommitProbe
{
    public static double Measure(string folder, string synchronous, TimeSpan duration)
    {
        var path = Path.Combine(folder, $"probe-{synchronous}.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT);";
            setup.ExecuteNonQuery();
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (v) VALUES ('x')";
        var commits = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            insert.ExecuteNonQuery();
            transaction.Commit();
            commits++;
        }

        return commits / stopwatch.Elapsed.TotalSeconds;
    }
}
