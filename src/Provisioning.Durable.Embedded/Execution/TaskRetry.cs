using Microsoft.DurableTask;
using CoreFailureDetails = DurableTask.Core.FailureDetails;
using CoreTaskFailedException = DurableTask.Core.Exceptions.TaskFailedException;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>
/// Runs an activity or sub-orchestration call under the <see cref="TaskRetryOptions"/> it was given, with the
/// semantics of the SDK's own worker: a <see cref="RetryPolicy"/> waits on durable timers with exponential backoff
/// until its attempts, its timeout or its <c>HandleFailure</c> say stop; an <see cref="AsyncRetryHandler"/> decides
/// after each failure (and does its own waiting). The last failure is what the orchestration sees.
/// </summary>
internal sealed class TaskRetry(TaskOrchestrationContext context)
{
    public async Task<T> InvokeAsync<T>(TaskRetryOptions? retry, Func<Task<T>> attempt)
    {
        if (retry?.Policy is { } policy)
        {
            return await WithPolicyAsync(policy, attempt);
        }

        if (retry?.Handler is { } handler)
        {
            return await WithHandlerAsync(handler, attempt);
        }

        return await attempt();
    }

    /// <summary>The wait before the next attempt, as DurableTask.Core's retry interceptor computes it.</summary>
    internal static TimeSpan NextDelay(RetryPolicy policy, int failedAttempts)
    {
        var milliseconds = policy.FirstRetryInterval.TotalMilliseconds * Math.Pow(policy.BackoffCoefficient, failedAttempts - 1);
        var cap = policy.MaxRetryInterval == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : policy.MaxRetryInterval;
        return milliseconds >= cap.TotalMilliseconds ? cap : TimeSpan.FromMilliseconds(milliseconds);
    }

    private async Task<T> WithPolicyAsync<T>(RetryPolicy policy, Func<Task<T>> attempt)
    {
        var firstAttemptAt = context.CurrentUtcDateTime;
        var expiresAt = policy.RetryTimeout == Timeout.InfiniteTimeSpan || policy.RetryTimeout == TimeSpan.MaxValue
            ? DateTime.MaxValue
            : firstAttemptAt + policy.RetryTimeout;
        for (var failed = 1; ; failed++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure) when (!TaskNotFoundException.IsTaskNotFound(failure.FailureDetails.ErrorType)
                && failed < policy.MaxNumberOfAttempts
                && policy.Handle(ToCoreException(failure))
                && context.CurrentUtcDateTime < expiresAt)
            {
                await context.CreateTimer(context.CurrentUtcDateTime + NextDelay(policy, failed), CancellationToken.None);
            }
        }
    }

    private async Task<T> WithHandlerAsync<T>(AsyncRetryHandler handler, Func<Task<T>> attempt)
    {
        var startedAt = context.CurrentUtcDateTime;
        for (var failed = 1; ; failed++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure) when (!TaskNotFoundException.IsTaskNotFound(failure.FailureDetails.ErrorType))
            {
                var retryContext = new RetryContext(context, failed, failure.FailureDetails, context.CurrentUtcDateTime - startedAt, CancellationToken.None);
                if (!await handler(retryContext))
                {
                    throw;
                }
            }
        }
    }

    // RetryPolicy.HandleFailure is exposed to the SDK only through Handle(Exception), which expects DurableTask.Core's
    // exception carrying Core's failure details.
    private static CoreTaskFailedException ToCoreException(TaskFailedException failure)
        => new(failure.Message) { FailureDetails = ToCore(failure.FailureDetails) };

    private static CoreFailureDetails ToCore(TaskFailureDetails details)
        => new(details.ErrorType, details.ErrorMessage, details.StackTrace, details.InnerFailure is null ? null : ToCore(details.InnerFailure), false);
}
