using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>An activity "Flaky" that fails until its attempt number reaches <paramref name="succeedOnAttempt"/>.</summary>
    private static DurableTaskRegistry AddFlaky(DurableTaskRegistry registry, Counter attempts, int succeedOnAttempt) =>
        registry.AddActivityFunc<string, string>("Flaky", (_, input) =>
        {
            var attempt = attempts.Increment();
            return attempt >= succeedOnAttempt
                ? $"{input} ok on attempt {attempt}"
                : throw new InvalidOperationException($"attempt {attempt} failed");
        });

    [Fact]
    public async Task Retry_policy_retries_a_failing_activity_until_it_succeeds()
    {
        var attempts = new Counter();
        await using var host = await StartAsync(r => AddFlaky(r, attempts, succeedOnAttempt: 3)
            .AddOrchestratorFunc<string, string>("Retrying", (ctx, input) =>
                ctx.CallActivityAsync<string>("Flaky", input, TaskOptions.FromRetryPolicy(new RetryPolicy(3, RetryInterval)))));

        var done = await RunAsync(host, "Retrying", "job");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("job ok on attempt 3", done.ReadOutputAs<string>());
        Assert.Equal(3, attempts.Value);
    }

    [Fact]
    public async Task Retry_policy_gives_up_after_max_attempts_with_the_last_failure()
    {
        var attempts = new Counter();
        await using var host = await StartAsync(r => AddFlaky(r, attempts, succeedOnAttempt: int.MaxValue)
            .AddOrchestratorFunc<string, string>("Retrying", (ctx, input) =>
                ctx.CallActivityAsync<string>("Flaky", input, TaskOptions.FromRetryPolicy(new RetryPolicy(3, RetryInterval)))));

        var done = await RunAsync(host, "Retrying", "job");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(3, attempts.Value);

        // The retry timers take sequence numbers too: attempts are #0, #2 and #4.
        Assert.Equal(
            [
                ("Microsoft.DurableTask.TaskFailedException", "Task 'Flaky' (#4) failed with an unhandled exception: attempt 3 failed"),
                ("System.InvalidOperationException", "attempt 3 failed"),
            ],
            Failures.Chain(done.FailureDetails));
    }

    [Fact]
    public async Task Retry_policy_whose_HandleFailure_declines_fails_after_one_attempt()
    {
        var attempts = new Counter();
        await using var host = await StartAsync(r => AddFlaky(r, attempts, succeedOnAttempt: 3)
            .AddOrchestratorFunc<string, string>("Retrying", (ctx, input) =>
                ctx.CallActivityAsync<string>(
                    "Flaky",
                    input,
                    TaskOptions.FromRetryPolicy(new RetryPolicy(3, RetryInterval) { HandleFailure = _ => false }))));

        var done = await RunAsync(host, "Retrying", "job");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(1, attempts.Value);
        Assert.Equal(
            [
                ("Microsoft.DurableTask.TaskFailedException", "Task 'Flaky' (#0) failed with an unhandled exception: attempt 1 failed"),
                ("System.InvalidOperationException", "attempt 1 failed"),
            ],
            Failures.Chain(done.FailureDetails));
        Assert.True(done.FailureDetails!.IsCausedBy<TaskFailedException>());
        Assert.True(done.FailureDetails.InnerFailure!.IsCausedBy<InvalidOperationException>());
    }

    [Fact]
    public async Task Async_retry_handler_sees_each_attempt_and_stops_with_TaskFailedException()
    {
        var attempts = new Counter();
        var seen = new ConcurrentQueue<string>();
        await using var host = await StartAsync(r => AddFlaky(r, attempts, succeedOnAttempt: int.MaxValue)
            .AddOrchestratorFunc<string, string>("Retrying", async (ctx, input) =>
            {
                var options = TaskOptions.FromRetryHandler(retry =>
                {
                    // The handler runs again on every replay; record only live decisions.
                    if (!ctx.IsReplaying)
                    {
                        seen.Enqueue($"{retry.LastAttemptNumber} {retry.LastFailure.ErrorType}: {retry.LastFailure.ErrorMessage}");
                    }

                    return Task.FromResult(retry.LastAttemptNumber < 2);
                });
                try
                {
                    return await ctx.CallActivityAsync<string>("Flaky", input, options);
                }
                catch (TaskFailedException e)
                {
                    return $"{e.TaskName} #{e.TaskId}: {e.FailureDetails.ErrorType}: {e.Message}";
                }
            }));

        var done = await RunAsync(host, "Retrying", "job");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(2, attempts.Value);
        Assert.Equal(
            [
                "1 System.InvalidOperationException: attempt 1 failed",
                "2 System.InvalidOperationException: attempt 2 failed",
            ],
            seen);
        Assert.Equal(
            "Flaky #1: System.InvalidOperationException: Task 'Flaky' (#1) failed with an unhandled exception: attempt 2 failed",
            done.ReadOutputAs<string>());
    }
}
