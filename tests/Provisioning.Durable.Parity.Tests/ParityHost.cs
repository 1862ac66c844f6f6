using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

/// <summary>A running backend: its client, and how to stop it.</summary>
public sealed class ParityHost : IAsyncDisposable
{
    private readonly Func<ValueTask> _stop;
    private int _disposed;

    public ParityHost(DurableTaskClient client, Func<ValueTask> stop)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(stop);
        Client = client;
        _stop = stop;
    }

    public DurableTaskClient Client { get; }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _stop() : ValueTask.CompletedTask;
}
