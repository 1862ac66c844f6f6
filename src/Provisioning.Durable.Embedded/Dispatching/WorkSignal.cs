namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>
/// Wakes a dispatcher loop when work may be there: set by commits in this process, by timers coming due, and by
/// finished work items. The loop also wakes after a poll interval, which catches work written by another process.
/// </summary>
internal sealed class WorkSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set()
    {
        lock (_gate)
        {
            _signal.TrySetResult();
        }
    }

    /// <summary>Returns when <see cref="Set"/> was called since the last wait, or after <paramref name="poll"/>.</summary>
    public async Task WaitAsync(TimeSpan poll, TimeProvider time, CancellationToken cancellationToken)
    {
        Task signal;
        lock (_gate)
        {
            signal = _signal.Task;
        }

        if (!signal.IsCompleted)
        {
            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(signal, Task.Delay(poll, time, delayCancellation.Token));

            // Cancelling the losing delay removes its timer, which matters with a fake clock that never reaches it.
            await delayCancellation.CancelAsync();
        }

        lock (_gate)
        {
            if (_signal.Task.IsCompleted)
            {
                _signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
