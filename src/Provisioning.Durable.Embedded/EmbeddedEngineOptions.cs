using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded;

/// <summary>Settings of the embedded backend (the same for its worker and its client: they share one store).</summary>
public sealed class EmbeddedEngineOptions
{
    /// <summary>The SQLite file (created with its folder on first use). Default <c>./.data/provisioning.db</c>.</summary>
    public string DatabasePath { get; set; } = "./.data/provisioning.db";

    /// <summary>Keep everything in memory (no file, no fsync): state is lost when the process ends. For tests and benchmarks.</summary>
    public bool InMemory { get; set; }

    /// <summary>How hard commits are pushed to disk. Default <see cref="StoreDurability.Full"/>: a committed step survives power loss.</summary>
    public StoreDurability Durability { get; set; } = StoreDurability.Full;

    /// <summary>Episodes run at the same time.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 64;

    /// <summary>Activities run at the same time.</summary>
    public int MaxConcurrentActivities { get; set; } = 64;

    /// <summary>
    /// How long a worker owns an instance or an activity call without renewing; after a crash, its work moves to
    /// the next worker once this has passed. Renewed every third of it.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the dispatchers and waiting clients look at the store when nothing in this process told them to.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The task hub: one database file belongs to one hub, and a file of another hub is refused.</summary>
    public string HubName { get; set; } = "provisioning";

    /// <summary>How many live executions are kept in memory to skip replay between episodes.</summary>
    public int MaxCachedExecutions { get; set; } = 10_000;

    /// <summary>
    /// Serializes inputs, outputs, event payloads and custom status. The default is the SDK's
    /// (<see cref="JsonDataConverter.Default"/>), as on every Durable Task backend. Stores written before the engine
    /// moved to the SDK hold web JSON (camelCase): open those with
    /// <c>new JsonDataConverter(new JsonSerializerOptions(JsonSerializerDefaults.Web))</c>, as the self-hosted host does.
    /// </summary>
    public DataConverter DataConverter { get; set; } = JsonDataConverter.Default;

    /// <summary>The clock of timers, leases and timestamps; <c>null</c> takes the container's <see cref="System.TimeProvider"/>, else the system clock. A fake clock makes a 15-minute timer fire at once.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
