using Microsoft.Data.Sqlite;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// A connection as an operation sees it, with cached commands (SQLite prepares each statement once): the writer's,
/// inside the batch's open transaction, or a read connection's (see <see cref="SqliteReaderPool"/>), used by one read
/// at a time.
/// </summary>
internal sealed class SqliteSession(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
        => Prepare(sql, parameters).ExecuteNonQuery();

    public object? Scalar(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var result = Prepare(sql, parameters).ExecuteScalar();
        return result is DBNull ? null : result;
    }

    public SqliteDataReader Query(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
        => Prepare(sql, parameters).ExecuteReader();

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    private SqliteCommand Prepare(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
#pragma warning disable CA2100 // Every statement is a constant of this assembly; values are always parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            _commands.Add(sql, command);
        }

        // A statement is always called with the same parameter names in the same order, so after its first use only
        // the values change: no parameter objects are made per call.
        var existing = command.Parameters;
        if (existing.Count == parameters.Length)
        {
            var index = 0;
            for (; index < parameters.Length && string.Equals(existing[index].ParameterName, parameters[index].Name, StringComparison.Ordinal); index++)
            {
                existing[index].Value = parameters[index].Value ?? DBNull.Value;
            }

            if (index == parameters.Length)
            {
                return command;
            }
        }

        existing.Clear();
        foreach (var (name, value) in parameters)
        {
            existing.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
