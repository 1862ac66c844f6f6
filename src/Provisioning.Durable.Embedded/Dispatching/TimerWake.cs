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
    // Nullable only because the callback, made before the constructor assigns it, refers to it.
    private readonly ITimer? _timer;
    private DateTimeOffset _due = DateTimeOffset.MaxValue;
    private bool _fired;

    public TimerWake(TimeProvider time, Action wake)
    {
        _time = time;
        _timer = time.CreateTimer(
            _ =>
            {
                lock (_gate)
                {
                    // The system timer counts on a coarser clock than GetUtcNow and can fire a few milliseconds early;
                    // a wake before the due time would find nothing visible yet, and the timer would wait for the poll.
                    var early = _due - _time.GetUtcNow();
                    if (_due != DateTimeOffset.MaxValue && early > TimeSpan.Zero)
                    {
                        _timer!.Change(early, Timeout.InfiniteTimeSpan);
                        return;
                    }

                    _due = DateTimeOffset.MaxValue;
                    _fired = true;
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
            _timer!.Change(wait, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>
    /// True once after each wake: only the earliest due time is armed, so after it fires the dispatcher looks up the
    /// next one in the store (a later timer asked for meanwhile was not armed).
    /// </summary>
    public bool TakeFired()
    {
        lock (_gate)
        {
            var fired = _fired;
            _fired = false;
            return fired;
        }
    }

    public void Dispose() => _timer?.Dispose();
}
