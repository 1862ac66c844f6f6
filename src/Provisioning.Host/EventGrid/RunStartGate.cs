namespace Provisioning.Host.EventGrid;

/// <summary>
/// Serializes work per run id in this process, so two concurrent deliveries of one event cannot both see "no run
/// yet" and both start one. Striped: ids share a bounded set of locks (a shared lock only costs waiting).
/// </summary>
internal sealed class RunStartGate : IDisposable
{
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Runs <paramref name="work"/> holding the lock of <paramref name="runId"/>.</summary>
    public async Task<T> RunAsync<T>(string runId, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        var gate = _locks[(StringComparer.Ordinal.GetHashCode(runId) & int.MaxValue) % _locks.Length];
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        foreach (var gate in _locks)
        {
            gate.Dispose();
        }
    }
}
