using System.Collections.Concurrent;

namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>The work items a dispatcher is running, so it respects its concurrency limit and can drain on shutdown.</summary>
internal sealed class WorkItemTracker
{
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Start(Func<Task> work, Action finished)
    {
        Interlocked.Increment(ref _count);
        var task = Task.Run(async () =>
        {
            try
            {
                await work();
            }
            finally
            {
                Interlocked.Decrement(ref _count);
                finished();
            }
        });
        _running.TryAdd(task, true);
        task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task DrainAsync() => Task.WhenAll(_running.Keys);
}
