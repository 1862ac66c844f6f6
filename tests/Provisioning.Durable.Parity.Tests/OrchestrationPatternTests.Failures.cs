using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    private static DurableTaskRegistry AddExplode(DurableTaskRegistry registry) =>
        registry.AddActivityFunc<string>("Explode", string (_) => throw new InvalidOperationException("boom"));

    [Fact]
    public async Task Unhandled_activity_failure_fails_the_orchestration_with_a_TaskFailedException()
    {
        await using var host = await StartAsync(r => AddExplode(r)
            .AddOrchestratorFunc<string>("CallsExplode", ctx => ctx.CallActivityAsync<string>("Explode")));

        var done = await RunAsync(host, "CallsExplode");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(
            [
                ("Microsoft.DurableTask.TaskFailedException", "Task 'Explode' (#0) failed with an unhandled exception: boom"),
                ("System.InvalidOperationException", "boom"),
            ],
            Failures.Chain(done.FailureDetails));
        Assert.True(done.FailureDetails!.IsCausedBy<TaskFailedException>());
        Assert.False(done.FailureDetails.IsCausedBy<InvalidOperationException>());
        Assert.True(done.FailureDetails.InnerFailure!.IsCausedBy<InvalidOperationException>());
    }

    [Fact]
    public async Task Activity_failure_caught_in_the_orchestration_carries_the_activity_exception()
    {
        await using var host = await StartAsync(r => AddExplode(r)
            .AddOrchestratorFunc<CaughtFailure>("CatchesExplode", async ctx =>
            {
                // One task first, so the failed one is #1: TaskId is the orchestration's sequence number.
                await ctx.CallActivityAsync<string>("Greeting", "first");
                try
                {
                    await ctx.CallActivityAsync<string>("Explode");
                    throw new InvalidOperationException("unreachable");
                }
                catch (TaskFailedException e)
                {
                    return CaughtFailure.From(e);
                }
            })
            .AddActivityFunc<string, string>("Greeting", (_, s) => s));

        var done = await RunAsync(host, "CatchesExplode");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var caught = done.ReadOutputAs<CaughtFailure>()!;
        Assert.Equal("Task 'Explode' (#1) failed with an unhandled exception: boom", caught.Message);
        Assert.Equal("Explode", caught.TaskName);
        Assert.Equal(1, caught.TaskId);
        Assert.Equal(["System.InvalidOperationException: boom"], caught.Chain);
        Assert.True(caught.IsCausedByInvalidOperation);
        Assert.False(caught.IsCausedByTaskFailed);
    }

    [Fact]
    public async Task Orchestrator_exception_fails_the_orchestration_with_that_exception()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("Throws", Task<string> (_) => throw new InvalidOperationException("orchestrator boom")));

        var done = await RunAsync(host, "Throws");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal([("System.InvalidOperationException", "orchestrator boom")], Failures.Chain(done.FailureDetails));
        Assert.True(done.FailureDetails!.IsCausedBy<InvalidOperationException>());
    }

    [Fact]
    public async Task Unknown_activity_fails_the_orchestration_with_ActivityTaskNotFound()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("CallsMissing", ctx => ctx.CallActivityAsync<string>("Missing")));

        var done = await RunAsync(host, "CallsMissing");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(
            [
                ("Microsoft.DurableTask.TaskFailedException", "Task 'Missing' (#0) failed with an unhandled exception: No activity task named 'Missing' was found."),
                ("ActivityTaskNotFound", "No activity task named 'Missing' was found."),
            ],
            Failures.Chain(done.FailureDetails));
    }

    [Fact]
    public async Task Unknown_orchestrator_fails_the_instance_with_OrchestratorTaskNotFound()
    {
        await using var host = await StartAsync(r => r.AddOrchestratorFunc<string>("Known", _ => "known"));

        var done = await RunAsync(host, "Unknown");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal("Unknown", done.Name);
        Assert.Equal(
            [("OrchestratorTaskNotFound", "No orchestrator task named 'Unknown' was found.")],
            Failures.Chain(done.FailureDetails));
    }
}
