namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// The database file cannot be used: it is not a SQLite file, it belongs to another application, or it was
/// written by a newer engine. Raised once at start-up with the file and the problem, so a host fails fast
/// instead of retrying in a loop.
/// </summary>
public sealed class DurableStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableStoreException(string databasePath, string problem, Exception? innerException = null)
        : base($"The durable store '{databasePath}' cannot be used: {problem}", innerException)
    {
        DatabasePath = databasePath;
    }

    /// <summary>Not for use: the exception always names a file.</summary>
    public DurableStoreException()
        : this("(unknown)", "unknown problem")
    {
    }

    /// <summary>Not for use: the exception always names a file.</summary>
    public DurableStoreException(string message)
        : this("(unknown)", message)
    {
    }

    /// <summary>Not for use: the exception always names a file.</summary>
    public DurableStoreException(string message, Exception innerException)
        : this("(unknown)", message, innerException)
    {
    }

    /// <summary>The file that could not be used.</summary>
    public string DatabasePath { get; }
}
