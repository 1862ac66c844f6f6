namespace Provisioning.ArmEmulator.Faults;

/// <summary>A token bucket refilled continuously from a <see cref="TimeProvider"/>.</summary>
internal sealed class TokenBucket(TimeProvider time, int capacity, double refillPerSecond)
{
    private readonly Lock _lock = new();
    private double _tokens = capacity;
    private long _last = time.GetTimestamp();

    public int Capacity { get; } = capacity;

    public double RefillPerSecond { get; } = refillPerSecond;

    /// <summary>Takes one token; returns whether it was granted, the tokens left and, when refused, the wait.</summary>
    public (bool Granted, int Remaining, TimeSpan RetryAfter) TryTake()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(Capacity, _tokens + (time.GetElapsedTime(_last, now).TotalSeconds * RefillPerSecond));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                return (true, (int)Math.Floor(_tokens), TimeSpan.Zero);
            }

            var wait = RefillPerSecond <= 0 ? TimeSpan.FromHours(1) : TimeSpan.FromSeconds((1 - _tokens) / RefillPerSecond);
            return (false, 0, wait);
        }
    }
}
