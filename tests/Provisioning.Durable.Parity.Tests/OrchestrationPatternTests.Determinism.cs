using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public sealed record GuidRun(string Time1, Guid First, Guid Second, string Time2, Guid Third);

public sealed record ChildRun(string CallTime, string ChildId, string? ParentId, string? ParentName);

public abstract partial class OrchestrationPatternTests
{
    private static string OrchestrationTime(TaskOrchestrationContext ctx) =>
        ctx.CurrentUtcDateTime.ToString("o", CultureInfo.InvariantCulture);

    [Fact]
    public async Task NewGuid_is_a_name_based_v5_guid_that_is_stable_across_replays()
    {
        var recorded = new ConcurrentQueue<Guid>();
        await using var host = await StartAsync(r => r
            .AddActivityFunc<Guid, Guid>("Record", (_, g) =>
            {
                recorded.Enqueue(g);
                return g;
            })
            .AddOrchestratorFunc<GuidRun>("MakesGuids", async ctx =>
            {
                var time1 = OrchestrationTime(ctx);
                var first = ctx.NewGuid();
                var second = ctx.NewGuid();
                await ctx.CallActivityAsync<Guid>("Record", first);

                // Everything below runs on a later episode, after the code above has been replayed.
                return new GuidRun(time1, first, second, OrchestrationTime(ctx), ctx.NewGuid());
            }));

        var done = await RunAsync(host, "MakesGuids", instanceId: "guid-maker");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var run = done.ReadOutputAs<GuidRun>()!;
        Assert.Equal([run.First], recorded);
        Assert.Equal(DeterministicGuid.Create("guid-maker", run.Time1, 0), run.First);
        Assert.Equal(DeterministicGuid.Create("guid-maker", run.Time1, 1), run.Second);
        Assert.Equal(DeterministicGuid.Create("guid-maker", run.Time2, 2), run.Third);
        Assert.Equal(3, new[] { run.First, run.Second, run.Third }.Distinct().Count());
        Assert.All(new[] { run.First, run.Second, run.Third }, g => Assert.Equal(5, DeterministicGuid.Version(g)));
    }

    [Fact]
    public async Task Sub_orchestration_without_an_id_gets_the_parents_next_NewGuid()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("Child", ctx => $"{ctx.InstanceId}|{ctx.Parent?.InstanceId}|{ctx.Parent?.Name}")
            .AddOrchestratorFunc<ChildRun>("Parent", async ctx =>
            {
                var callTime = OrchestrationTime(ctx);
                var parts = (await ctx.CallSubOrchestratorAsync<string>("Child")).Split('|');
                return new ChildRun(callTime, parts[0], parts[1], parts[2]);
            }));

        var done = await RunAsync(host, "Parent", instanceId: "the-parent");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var run = done.ReadOutputAs<ChildRun>()!;
        Assert.Equal(DeterministicGuid.Create("the-parent", run.CallTime, 0).ToString("N"), run.ChildId);
        Assert.Equal("the-parent", run.ParentId);
        Assert.Equal("Parent", run.ParentName);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.Client.GetInstanceAsync(run.ChildId))!.RuntimeStatus);
    }

    [Fact]
    public async Task Orchestrator_that_schedules_different_work_on_replay_is_caught_as_non_deterministic()
    {
        var executions = new Counter();
        await using var host = await StartAsync(r => r
            .AddActivityFunc<string, string>("A", (_, s) => s)
            .AddActivityFunc<string, string>("B", (_, s) => s)
            .AddOrchestratorFunc<string>("Fickle", async ctx =>
            {
                // First execution schedules A; every replay schedules B in its place.
                var name = executions.Increment() == 1 ? "A" : "B";
                await ctx.CallActivityAsync<string>(name, "x");
                return await ctx.CallActivityAsync<string>("A", "y");
            }));

        var done = await RunAsync(host, "Fickle");

        if (Capabilities.DetectsNonDeterminism)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
            Assert.Equal(
                [
                    (
                        "DurableTask.Core.Exceptions.NonDeterministicOrchestrationException",
                        "Non-Deterministic workflow detected: A previous execution of this orchestration scheduled an activity task "
                            + "with sequence number 0 named 'A', but the current orchestration replay instead scheduled an activity "
                            + "task named 'B' with this sequence number.  Was a change made to the orchestrator code after this "
                            + "instance had already started running?"
                    ),
                ],
                Failures.Chain(done.FailureDetails));
        }
        else
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            Assert.Equal("y", done.ReadOutputAs<string>());
        }
    }
}
