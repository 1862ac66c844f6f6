using System.Collections.Concurrent;

namespace Provisioning.ArmEmulator.Faults;

/// <summary>ARM-like throttling: one read and one write bucket per subscription, rebuilt when settings change.</summary>
internal sealed class Throttle
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Subscription, bool Write, ThrottlingSettings Settings), TokenBucket> _buckets = new();

    public Throttle(TimeProvider time) => _time = time;

    /// <summary>Takes a token for the request; null when throttling is off.</summary>
    public (bool Granted, int Remaining, TimeSpan RetryAfter)? Take(ThrottlingSettings settings, string subscription, bool write)
    {
        if (!settings.Enabled)
        {
            return null;
        }

        var bucket = _buckets.GetOrAdd((subscription, write, settings), k => k.Write
            ? new TokenBucket(_time, k.Settings.WriteBurst, k.Settings.WritesPerSecond)
            : new TokenBucket(_time, k.Settings.ReadBurst, k.Settings.ReadsPerSecond));
        return bucket.TryTake();
    }
}
