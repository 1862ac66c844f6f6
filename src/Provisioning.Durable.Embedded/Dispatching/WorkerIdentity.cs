using System.Globalization;

namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>The lease owner name of one running engine: unique per start, readable in the database.</summary>
internal static class WorkerIdentity
{
    public static string Create(string hubName)
        => string.Create(CultureInfo.InvariantCulture, $"{hubName}/{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");
}
