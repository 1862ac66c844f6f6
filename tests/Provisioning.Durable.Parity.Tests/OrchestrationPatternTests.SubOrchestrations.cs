using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    [Fact]
    public async Task Sub_orchestration_output_is_returned_to_the_parent()
    {
        await using var host = await StartAsync(r => r
            .AddActivityFunc<int, int>("Double", (_, n) => n * 2)
            .AddOrchestratorFunc<int, int>("Child", (ctx, n) => ctx.CallActivityAsync<int>("Double", n))
            .AddOrchestratorFunc<int, int>("Parent", async (ctx, n) =>
                await ctx.CallSubOrchestratorAsync<int>("Child", n, new SubOrchestrationOptions { InstanceId = "the-child" }) + 1));

        var parent = await RunAsync(host, "Parent", 20);
        var child = await host.Client.GetInstanceAsync("the-child", getInputsAndOutputs: true);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, parent.RuntimeStatus);
        Assert.Equal(41, parent.ReadOutputAs<int>());
        Assert.NotNull(child);
        Assert.Equal("Child", child.Name);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child.RuntimeStatus);
        Assert.Equal("20", child.SerializedInput);
        Assert.Equal("40", child.SerializedOutput);
    }

    [Fact]
    public async Task Throwing_sub_orchestration_surfaces_TaskFailedException_with_the_child_exception()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("Child", Task<string> (_) => throw new InvalidOperationException("child boom"))
            .AddOrchestratorFunc<CaughtFailure>("Parent", async ctx =>
            {
                try
                {
                    await ctx.CallSubOrchestratorAsync<string>("Child");
                    throw new InvalidOperationException("unreachable");
                }
                catch (TaskFailedException e)
                {
                    return CaughtFailure.From(e);
                }
            }));

        var done = await RunAsync(host, "Parent");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var caught = done.ReadOutputAs<CaughtFailure>()!;
        Assert.Equal("Task 'Child' (#0) failed with an unhandled exception: child boom", caught.Message);
        Assert.Equal("Child", caught.TaskName);
        Assert.Equal(0, caught.TaskId);
        Assert.Equal(["System.InvalidOperationException: child boom"], caught.Chain);
        Assert.True(caught.IsCausedByInvalidOperation);
        Assert.False(caught.IsCausedByTaskFailed);
    }

    [Fact]
    public async Task Sub_orchestration_failed_by_its_activity_surfaces_the_nested_TaskFailedException()
    {
        await using var host = await StartAsync(r => AddExplode(r)
            .AddOrchestratorFunc<string>("Child", ctx => ctx.CallActivityAsync<string>("Explode"))
            .AddOrchestratorFunc<CaughtFailure>("Parent", async ctx =>
            {
                try
                {
                    await ctx.CallSubOrchestratorAsync<string>("Child");
                    throw new InvalidOperationException("unreachable");
                }
                catch (TaskFailedException e)
                {
                    return CaughtFailure.From(e);
                }
            }));

        var done = await RunAsync(host, "Parent");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var caught = done.ReadOutputAs<CaughtFailure>()!;
        Assert.Equal(
            "Task 'Child' (#0) failed with an unhandled exception: Task 'Explode' (#0) failed with an unhandled exception: boom",
            caught.Message);
        Assert.Equal(
            [
                "Microsoft.DurableTask.TaskFailedException: Task 'Explode' (#0) failed with an unhandled exception: boom",
                "System.InvalidOperationException: boom",
            ],
            caught.Chain);

        // IsCausedBy looks at the outermost ErrorType only.
        Assert.False(caught.IsCausedByInvalidOperation);
        Assert.True(caught.IsCausedByTaskFailed);
    }

    [Fact]
    public async Task Unhandled_sub_orchestration_failure_fails_parent_and_child()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("Child", Task<string> (_) => throw new InvalidOperationException("child boom"))
            .AddOrchestratorFunc<string>("Parent", ctx =>
                ctx.CallSubOrchestratorAsync<string>("Child", new SubOrchestrationOptions { InstanceId = "the-child" })));

        var parent = await RunAsync(host, "Parent");
        var child = await WaitForCompletionAsync(host, "the-child");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, parent.RuntimeStatus);
        Assert.Equal(
            [
                ("Microsoft.DurableTask.TaskFailedException", "Task 'Child' (#0) failed with an unhandled exception: child boom"),
                ("System.InvalidOperationException", "child boom"),
            ],
            Failures.Chain(parent.FailureDetails));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, child.RuntimeStatus);
        Assert.Equal([("System.InvalidOperationException", "child boom")], Failures.Chain(child.FailureDetails));
    }

    [Fact]
    public async Task Unknown_sub_orchestrator_fails_the_parent_with_OrchestratorTaskNotFound()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("Parent", ctx => ctx.CallSubOrchestratorAsync<string>("Missing")));

        var done = await RunAsync(host, "Parent");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(
            [
                ("Microsoft.DurableTask.TaskFailedException", "Task 'Missing' (#0) failed with an unhandled exception: No orchestrator task named 'Missing' was found."),
                ("OrchestratorTaskNotFound", "No orchestrator task named 'Missing' was found."),
            ],
            Failures.Chain(done.FailureDetails));
    }
}
