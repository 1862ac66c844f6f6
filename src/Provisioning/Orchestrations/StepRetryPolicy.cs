using Microsoft.DurableTask;

namespace Provisioning.Orchestrations;

/// <summary>
/// How a run retries one step: exponential backoff on durable timers, bounded by an attempt count and a total time,
/// and only for the failures <see cref="Handle"/> accepts. It is carried out through the SDK's
/// <see cref="AsyncRetryHandler"/> (<see cref="TaskOptions.FromRetryHandler(AsyncRetryHandler)"/>), so each wait
/// shows in the run's custom status and a cancel ends it.
/// </summary>
/// <param name="MaxNumberOfAttempts">Attempts in all, the first included (at least 1).</param>
/// <param name="FirstRetryInterval">The wait before the second attempt.</param>
/// <param name="BackoffCoefficient">Each further wait is the previous one times this (at least 1).</param>
/// <param name="MaxRetryInterval">No wait is longer than this; <c>null</c> for no cap.</param>
/// <param name="RetryTimeout">No retry starts after this much time since the first attempt; <c>null</c> for no limit.</param>
internal sealed record StepRetryPolicy(
    int MaxNumberOfAttempts,
    TimeSpan FirstRetryInterval,
    double BackoffCoefficient = 1.0,
    TimeSpan? MaxRetryInterval = null,
    TimeSpan? RetryTimeout = null)
{
    /// <summary>Which failures are retried; <c>null</c> retries every failure.</summary>
    public Func<TaskFailureDetails, bool>? Handle { get; init; }

    /// <summary>
    /// The wait before the next attempt, or <c>null</c> when the failure is final: the attempts are used up, the
    /// retry timeout would pass, or <see cref="Handle"/> refuses the failure.
    /// </summary>
    /// <param name="failedAttempt">The number of the attempt that just failed, from 1.</param>
    /// <param name="elapsed">Time since the first attempt started.</param>
    /// <param name="failure">What failed.</param>
    public TimeSpan? NextDelay(int failedAttempt, TimeSpan elapsed, TaskFailureDetails failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        if (failedAttempt >= MaxNumberOfAttempts || (Handle is not null && !Handle(failure)))
        {
            return null;
        }

        var ticks = FirstRetryInterval.Ticks * Math.Pow(Math.Max(1.0, BackoffCoefficient), failedAttempt - 1);
        var delay = ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks((long)ticks);
        if (MaxRetryInterval is { } cap && delay > cap)
        {
            delay = cap;
        }

        return RetryTimeout is { } timeout && elapsed + delay > timeout ? null : delay;
    }
}
