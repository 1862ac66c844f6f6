namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>
/// Wakes the orchestration dispatcher when the earliest durable timer (or delayed start) comes due. It sits on a
/// <see cref="TimeProvider"/> timer, so a fake clock that is advanced past the due time fires it at once.
/// </summary>
internal sealed class TimerWake : IDisposable
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private DateTimeOffset _due = DateTimeOffset.MaxValue;

    public TimerWake(TimeProvider time, Action wake)
    {
        _time = time;
        _timer = time.CreateTimer(
            _ =>
            {
                lock (_gate)
                {
                    _due = DateTimeOffset.MaxValue;
                }

                wake();
            },
            null,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
    }

    /// <summary>Makes sure a wake happens no later than <paramref name="dueAt"/>.</summary>
    public void WakeAt(DateTimeOffset dueAt)
    {
        lock (_gate)
        {
            if (dueAt >= _due)
            {
                return;
            }

            _due = dueAt;
            var wait = dueAt - _time.GetUtcNow();
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
            _timer.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose() => _timer.Dispose();
}
