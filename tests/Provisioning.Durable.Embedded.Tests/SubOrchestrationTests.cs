using Provisioning.Durable.Client;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class SubOrchestrationTests
{
    private static void Register(OrchestrationRegistry registry) => registry
        .AddHello()
        .AddActivityFunc<string, string>("Explodes", (_, what) =>
            throw new InvalidOperationException($"cannot deploy {what}", new ArgumentException("the inner cause")))
        .AddOrchestratorFunc<string, string>("Child", async (context, what) => await context.CallActivityAsync<string>("Explodes", what))
        .AddOrchestratorFunc<string, string>("ParentCatches", async (context, what) =>
        {
            try
            {
                return await context.CallSubOrchestratorAsync<string>("Child", what, new SubOrchestrationOptions($"{context.InstanceId}-child"));
            }
            catch (TaskFailedException failure)
            {
                var details = failure.FailureDetails;
                return $"{failure.TaskName}|{details.ErrorType}|{details.ErrorMessage}|{details.InnerFailure?.ErrorType}|{details.InnerFailure?.ErrorMessage}";
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
        var child = await host.Client.GetInstanceAsync($"{id}:0000");
        Assert.Equal(OrchestrationRuntimeStatus.Completed, child!.RuntimeStatus);
    }

    [Fact]
    public async Task A_failed_sub_orchestration_surfaces_as_TaskFailedException_with_the_inner_failure()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("ParentCatches", "web");
        var output = (await host.Client.CompletionAsync(id)).ReadOutputAs<string>();

        Assert.Equal($"Child|{typeof(InvalidOperationException).FullName}|cannot deploy web|{typeof(ArgumentException).FullName}|the inner cause", output);
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

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(InvalidOperationException).FullName, done.FailureDetails!.ErrorType);
        Assert.Equal("the inner cause", done.FailureDetails.InnerFailure!.ErrorMessage);
    }
}
