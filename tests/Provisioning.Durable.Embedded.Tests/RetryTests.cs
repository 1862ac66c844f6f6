using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class RetryTests
{
    [Fact]
    public async Task A_failing_activity_is_retried_after_durable_timers_growing_by_the_backoff_coefficient()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        var counter = new ExecutionCounter();
        var policy = new RetryPolicy(maxNumberOfAttempts: 4, firstRetryInterval: TimeSpan.FromSeconds(10), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(30));
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<string, string>("Flaky", (_, name) => counter.Increment(name) < 4 ? throw new TimeoutException("not yet") : "ok")
                .AddOrchestratorFunc<string, string>("Retrying", (context, name) => context.CallActivityAsync<string>("Flaky", name, TaskOptions.FromRetryPolicy(policy))),
            database,
            clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Retrying", "x");
        var waits = new List<TimeSpan>();
        for (var retry = 0; retry < 3; retry++)
        {
            waits.Add(await host.Client.AdvanceToNextTimerAsync(id, clock));
        }

        var done = await host.Client.CompletionAsync(id);
        Assert.Equal("ok", done.ReadOutputAs<string>());
        Assert.Equal(4, counter["x"]);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30)], waits);
    }

    [Fact]
    public async Task When_attempts_run_out_the_orchestration_sees_the_last_failure()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        var counter = new ExecutionCounter();
        var policy = new RetryPolicy(2, TimeSpan.FromMinutes(1));
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<string, string>("AlwaysFails", string (TaskActivityContext _, string name) => throw new TimeoutException($"attempt {counter.Increment(name)}"))
                .AddOrchestratorFunc<string, string>("GivesUp", (context, name) => context.CallActivityAsync<string>("AlwaysFails", name, TaskOptions.FromRetryPolicy(policy))),
            database,
            clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("GivesUp", "y");
        await host.Client.AdvanceToNextTimerAsync(id, clock);
        var done = await host.Client.CompletionAsync(id);

        // The SDK's shape: the orchestration fails with the TaskFailedException it let escape, and the activity's
        // last failure is its inner failure.
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(TaskFailedException).FullName, done.FailureDetails!.ErrorType);
        Assert.Equal(typeof(TimeoutException).FullName, done.FailureDetails.InnerFailure!.ErrorType);
        Assert.Equal("attempt 2", done.FailureDetails.InnerFailure.ErrorMessage);
        Assert.Equal(2, counter["y"]);
    }

    [Fact]
    public async Task A_failure_the_handle_predicate_refuses_is_not_retried()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        var counter = new ExecutionCounter();
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(1)) { HandleFailure = failure => failure.IsCausedBy<TimeoutException>() };
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<string, string>("BadInput", string (TaskActivityContext _, string name) =>
                {
                    counter.Increment(name);
                    throw new ArgumentException("bad input");
                })
                .AddOrchestratorFunc<string, string>("NoRetry", async (context, name) =>
                {
                    try
                    {
                        return await context.CallActivityAsync<string>("BadInput", name, TaskOptions.FromRetryPolicy(policy));
                    }
                    catch (TaskFailedException failure) when (failure.FailureDetails.IsCausedBy<ArgumentException>())
                    {
                        return $"refused: {failure.FailureDetails.ErrorMessage}";
                    }
                }),
            database,
            clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("NoRetry", "z");
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal("refused: bad input", done.ReadOutputAs<string>());
        Assert.Equal(1, counter["z"]);
        Assert.DoesNotContain(await host.Client.HistoryAsync(id), e => e is TimerCreatedEvent);
    }

    [Fact]
    public async Task A_retry_handler_decides_after_each_failure_and_sees_the_attempt_number()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        var counter = new ExecutionCounter();
        var attemptsSeen = new List<int>();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<string, string>("FailsTwice", (_, name) => counter.Increment(name) < 3 ? throw new TimeoutException("not yet") : "ok")
                .AddOrchestratorFunc<string, string>("Handled", (context, name) => context.CallActivityAsync<string>(
                    "FailsTwice",
                    name,
                    TaskOptions.FromRetryHandler(retry =>
                    {
                        if (!retry.OrchestrationContext.IsReplaying)
                        {
                            attemptsSeen.Add(retry.LastAttemptNumber);
                        }

                        return retry.LastFailure.IsCausedBy<TimeoutException>() && retry.LastAttemptNumber < 5;
                    }))),
            database,
            clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Handled", "h");
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal("ok", done.ReadOutputAs<string>());
        Assert.Equal(3, counter["h"]);
        Assert.Equal([1, 2], attemptsSeen);
    }
}
