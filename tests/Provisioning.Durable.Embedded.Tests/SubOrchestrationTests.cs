using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class SubOrchestrationTests
{
    private static void Register(DurableTaskRegistry registry) => registry
        .AddHello()
        .AddActivityFunc<string, string>("Explodes", string (TaskActivityContext _, string what) =>
            throw new InvalidOperationException($"cannot deploy {what}", new ArgumentException("the inner cause")))
        .AddOrchestratorFunc<string, string>("Child", async (context, what) => await context.CallActivityAsync<string>("Explodes", what))
        .AddOrchestratorFunc<string, string>("ParentCatches", async (context, what) =>
        {
            try
            {
                return await context.CallSubOrchestratorAsync<string>("Child", what, new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}-child" });
            }
            catch (TaskFailedException failure)
            {
                // The child's failure, then down its chain of inner failures.
                var chain = new List<string> { failure.TaskName };
                for (var details = failure.FailureDetails; details is not null; details = details.InnerFailure)
                {
                    chain.Add($"{details.ErrorType}: {details.ErrorMessage}");
                }

                return string.Join("|", chain);
            }
        })
        .AddOrchestratorFunc<string, string>("ParentFails", (context, what) => context.CallSubOrchestratorAsync<string>("Child", what))
        .AddOrchestratorFunc<string, string[]>("ParentOfHello", (context, name) => context.CallSubOrchestratorAsync<string[]>("HelloSequence", name));

    [Fact]
    public async Task A_sub_orchestration_returns_its_output_to_the_parent()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("ParentOfHello", "Oslo");
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal("Hello Oslo", done.ReadOutputAs<string[]>()![2]);
        // The child's id is the parent's first NewGuid, as the SDK's worker names an unnamed child.
        var created = Assert.Single((await host.Client.GetOrchestrationHistoryAsync(id)).OfType<SubOrchestrationInstanceCreatedEvent>());
        Assert.Matches("^[0-9a-f]{32}$", created.InstanceId);
        var child = await host.Client.GetInstanceAsync(created.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
    }

    [Fact]
    public async Task A_failed_sub_orchestration_surfaces_as_TaskFailedException_with_the_inner_failure()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("ParentCatches", "web");
        var chain = (await host.Client.CompletionAsync(id)).ReadOutputAs<string>()!.Split('|');

        // The child failed as the SDK's worker fails an orchestration that lets a task failure escape: with a
        // TaskFailedException whose inner failure is the activity's own, inner exception included.
        Assert.Equal(4, chain.Length);
        Assert.Equal("Child", chain[0]);
        Assert.StartsWith($"{typeof(TaskFailedException).FullName}: ", chain[1], StringComparison.Ordinal);
        Assert.Contains("cannot deploy web", chain[1], StringComparison.Ordinal);
        Assert.Equal($"{typeof(InvalidOperationException).FullName}: cannot deploy web", chain[2]);
        Assert.Equal($"{typeof(ArgumentException).FullName}: the inner cause", chain[3]);
        var child = await host.Client.GetInstanceAsync($"{id}-child");
        Assert.Equal(OrchestrationRuntimeStatus.Failed, child!.RuntimeStatus);
    }

    [Fact]
    public async Task An_unhandled_sub_orchestration_failure_fails_the_parent_with_its_details()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("ParentFails", "db");
        var done = await host.Client.CompletionAsync(id);

        // Parent: the TaskFailedException of its sub-orchestration call; inside it the child's failure (the
        // TaskFailedException of its activity call); inside that the activity's exception and its inner exception.
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        var parent = done.FailureDetails!;
        Assert.Equal(typeof(TaskFailedException).FullName, parent.ErrorType);
        var child = parent.InnerFailure!;
        Assert.Equal(typeof(TaskFailedException).FullName, child.ErrorType);
        Assert.Equal(typeof(InvalidOperationException).FullName, child.InnerFailure!.ErrorType);
        Assert.Equal("cannot deploy db", child.InnerFailure.ErrorMessage);
        Assert.Equal("the inner cause", child.InnerFailure.InnerFailure!.ErrorMessage);
    }
}
