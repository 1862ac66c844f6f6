namespace Provisioning.Host.Configuration;

/// <summary>
/// The Durable settings of <c>host.json</c> (<c>extensions.durableTask</c>) that the embedded engine honours, with the
/// names Durable Functions gives them, so one host.json serves both hosts.
/// </summary>
public sealed class DurableTaskSettings
{
    /// <summary>Where host.json's durableTask section lands in configuration.</summary>
    public const string SectionName = "AzureFunctionsJobHost:extensions:durableTask";

    /// <summary>The task hub name; also the default database file name.</summary>
    public string HubName { get; set; } = "ProvisioningHub";

    /// <summary>How many activities run at once in this process.</summary>
    public int MaxConcurrentActivityFunctions { get; set; } = 16;

    /// <summary>How many orchestration episodes run at once in this process.</summary>
    public int MaxConcurrentOrchestratorFunctions { get; set; } = 16;

    /// <summary>The embedded engine's storage (not a Durable Functions setting: <c>storageProvider</c> there names Azure storage).</summary>
    public EmbeddedStorageSettings Storage { get; set; } = new();
}

/// <summary>Where the embedded engine keeps its state.</summary>
public sealed class EmbeddedStorageSettings
{
    /// <summary>The SQLite file; relative paths are resolved against the working directory. Default: <c>.data/{hubName}.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Keep state in memory only (nothing survives a restart; for experiments).</summary>
    public bool InMemory { get; set; }
}
