namespace Provisioning.Durable.Embedded.Execution;

/// <summary>
/// Runs an orchestration's continuations on the thread that drives the episode, one at a time, in the order they
/// were posted. With it the orchestration's code never runs concurrently with itself and its interleaving depends
/// only on the order history delivers events, which is what makes replay reproduce the same decisions.
/// </summary>
internal sealed class OrchestrationSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly Lock _gate = new();

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            _queue.Enqueue((d, state));
        }
    }

    public override void Send(SendOrPostCallback d, object? state)
        => throw new NotSupportedException("Orchestration code cannot block on its own scheduler.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>
    /// Runs <paramref name="action"/> and then every continuation it causes, on this thread, with this context
    /// current. <paramref name="afterEachStep"/> runs after the action and after each continuation: it is where
    /// work that must happen at a deterministic point (such as honouring a cancellation) is done.
    /// </summary>
    public void Run(Action action, Action afterEachStep)
    {
        var previous = Current;
        SetSynchronizationContext(this);
        try
        {
            action();
            afterEachStep();
            while (TryDequeue(out var work))
            {
                work.Callback(work.State);
                afterEachStep();
            }
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    private bool TryDequeue(out (SendOrPostCallback Callback, object? State) work)
    {
        lock (_gate)
        {
            return _queue.TryDequeue(out work);
        }
    }
}
