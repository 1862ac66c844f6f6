using Microsoft.DurableTask;
using Provisioning.Durable.Embedded;

namespace Provisioning.Durable.Parity.Tests;

/// <summary>The embedded SQLite engine, in memory, on the system clock.</summary>
public sealed class EmbeddedBackend : IParityBackend
{
    public BackendCapabilities Capabilities { get; } = new()
    {
        SupportsRestart = true,
        DetectsNonDeterminism = true,
        PreservesUnprocessedEventsOnContinueAsNew = true,
        QueriesHonorFetchInputsAndOutputs = true,
    };

    public async Task<ParityHost> StartAsync(Action<DurableTaskRegistry> tasks)
    {
        // No execution cache: every episode replays the history, as the official host's worker does, so replay
        // (and its non-determinism check) is exercised by every test.
        var host = await EmbeddedEngineHost.StartAsync(tasks, configureOptions: options => options.MaxCachedExecutions = 0);
        return new ParityHost(host.Client, host.DisposeAsync);
    }
}
