namespace Provisioning.Durable;

/// <summary>
/// How a failed activity or sub-orchestration is retried: exponential backoff between durable timers,
/// bounded by an attempt count and a total time, and only for the failures <see cref="Handle"/> accepts.
/// </summary>
/// <param name="MaxNumberOfAttempts">Attempts in all, the first included (at least 1).</param>
/// <param name="FirstRetryInterval">The wait before the second attempt.</param>
/// <param name="BackoffCoefficient">Each further wait is the previous one times this (at least 1).</param>
/// <param name="MaxRetryInterval">No wait is longer than this; <c>null</c> for no cap.</param>
/// <param name="RetryTimeout">No retry starts after this much time since the first attempt; <c>null</c> for no limit.</param>
public sealed record RetryPolicy(
    int MaxNumberOfAttempts,
    TimeSpan FirstRetryInterval,
    double BackoffCoefficient = 1.0,
    TimeSpan? MaxRetryInterval = null,
    TimeSpan? RetryTimeout = null)
{
    /// <summary>Which failures are retried; <c>null</c> retries every failure.</summary>
    public Func<FailureDetails, bool>? Handle { get; init; }

    /// <summary>
    /// The wait before the next attempt, or <c>null</c> when the failure is final: the attempts are used up,
    /// the retry timeout has passed, or <see cref="Handle"/> refuses the failure.
    /// </summary>
    /// <param name="failedAttempt">The number of the attempt that just failed, from 1.</param>
    /// <param name="elapsed">Time since the first attempt started.</param>
    /// <param name="failure">What failed.</param>
    public TimeSpan? NextDelay(int failedAttempt, TimeSpan elapsed, FailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (MaxNumberOfAttempts < 1)
        {
            throw new InvalidOperationException($"{nameof(MaxNumberOfAttempts)} must be at least 1; it is {MaxNumberOfAttempts}.");
        }

        if (failedAttempt >= MaxNumberOfAttempts || (Handle is not null && !Handle(failure)))
        {
            return null;
        }

        var coefficient = Math.Max(1.0, BackoffCoefficient);
        var ticks = FirstRetryInterval.Ticks * Math.Pow(coefficient, failedAttempt - 1);
        var delay = ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        if (MaxRetryInterval is { } cap && delay > cap)
        {
            delay = cap;
        }

        if (RetryTimeout is { } timeout && elapsed + delay > timeout)
        {
            return null;
        }

        return delay;
    }
}
