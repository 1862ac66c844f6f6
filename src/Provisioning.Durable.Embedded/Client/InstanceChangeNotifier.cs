using System.Collections.Concurrent;

namespace Provisioning.Durable.Embedded.Client;

/// <summary>
/// In-process notice that an instance's stored state changed, so a client waiting for a start or a completion
/// re-reads the store once per change instead of polling it in a loop.
/// </summary>
internal sealed class InstanceChangeNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the next change of <paramref name="instanceId"/>. Take it before reading the state.</summary>
    public Task NextChange(string instanceId)
        => _waiters.GetOrAdd(instanceId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Changed(string instanceId)
    {
        if (_waiters.TryRemove(instanceId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
