using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>
/// A step of a sequential orchestration (an activity's outcome, then the next call) commits once: the outcome is run
/// into the cached execution in memory and committed with the episode, instead of as a message that a separate
/// lease round trip then picks up.
/// </summary>
public sealed class SequentialStepTests
{
    // "Count": n activity calls, one after the other.
    private static readonly Action<DurableTaskRegistry> Counting = registry => registry
        .AddActivityFunc<int, int>("Increment", (_, value) => value + 1)
        .AddOrchestratorFunc<int, int>("Count", async (context, count) =>
        {
            var value = 0;
            for (var i = 0; i < count; i++)
            {
                value = await context.CallActivityAsync<int>("Increment", value);
            }

            return value;
        });

    [Fact]
    public async Task A_sequential_step_commits_once()
    {
        const int steps = 40;
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(
            Counting,
            database,
            EngineTestSupport.NewClock());

        var before = host.Engine.StoreCommitCount;
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Count", steps);
        var done = await host.Client.CompletionAsync(id);
        var commits = host.Engine.StoreCommitCount - before;

        Assert.Equal(steps, done.ReadOutputAs<int>());
        var history = await host.Client.HistoryAsync(id);
        Assert.Equal(steps, history.OfType<TaskScheduledEvent>().Count());
        Assert.Equal(Enumerable.Range(1, steps), history.OfType<TaskCompletedEvent>().Select(e => int.Parse(e.Result, System.Globalization.CultureInfo.InvariantCulture)));

        // Three commits a step before (outcome, lease, episode); one now, plus the start and a few leases.
        Assert.True(commits < steps + 10, $"{commits} commits for {steps} steps");
    }

    [Theory]
    [InlineData(StoreDurability.Full, true)]
    [InlineData(StoreDurability.Normal, false)]
    public async Task Under_full_durability_each_step_is_one_synced_commit(StoreDurability durability, bool syncs)
    {
        const int steps = 30;
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(
            Counting,
            database,
            EngineTestSupport.NewClock(),
            options => options.Durability = durability);

        var before = host.Engine.StoreSyncedCommitCount;
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Count", steps);
        Assert.Equal(steps, (await host.Client.CompletionAsync(id)).ReadOutputAs<int>());
        var synced = host.Engine.StoreSyncedCommitCount - before;

        // Full: the creation with the first episode, then one per step (its outcome with the next episode); leases and
        // reads never sync. Normal: only checkpoints sync.
        if (syncs)
        {
            Assert.Equal(steps + 1, synced);
        }
        else
        {
            Assert.Equal(0, synced);
        }
    }

    [Fact]
    public async Task An_event_that_arrives_while_an_activity_runs_is_not_lost_or_reordered()
    {
        using var database = new TempDatabase();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<string, string>("Gate", async (_, value) =>
                {
                    entered.TrySetResult();
                    await release.Task;
                    return value;
                })
                .AddActivityFunc<string, string>("Echo", (_, value) => value)
                .AddOrchestratorFunc<string, string>("GateThenEvent", async (context, input) =>
                {
                    var first = await context.CallActivityAsync<string>("Echo", input);
                    var gated = await context.CallActivityAsync<string>("Gate", first);
                    var raised = await context.WaitForExternalEvent<string>("Go");
                    var last = await context.CallActivityAsync<string>("Echo", raised);
                    return $"{gated}/{last}";
                }),
            database,
            EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("GateThenEvent", "a");
        await entered.Task.WaitAsync(EngineTestSupport.Patience);

        // The event is stored while the gate runs; the gate's outcome then finds it waiting and must not jump it.
        await host.Client.RaiseEventAsync(id, "Go", "b");
        release.SetResult();

        var done = await host.Client.CompletionAsync(id);
        Assert.Equal("a/b", done.ReadOutputAs<string>());
        var history = await host.Client.HistoryAsync(id);
        Assert.Single(history.OfType<EventRaisedEvent>());
        Assert.Equal(3, history.OfType<TaskCompletedEvent>().Count());
    }

    [Fact]
    public async Task An_outcome_that_finishes_while_the_instance_is_suspended_waits_for_the_resume()
    {
        using var database = new TempDatabase();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var counter = new ExecutionCounter();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<string, string>("Gate", async (_, value) =>
                {
                    counter.Increment("gate");
                    entered.TrySetResult();
                    await release.Task;
                    return value;
                })
                .AddActivityFunc<string, string>("Echo", (_, value) => value)
                .AddOrchestratorFunc<string, string>("GateThenEcho", async (context, input) =>
                {
                    var first = await context.CallActivityAsync<string>("Echo", input);
                    var gated = await context.CallActivityAsync<string>("Gate", first);
                    return await context.CallActivityAsync<string>("Echo", gated + "!");
                }),
            database,
            EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("GateThenEcho", "a");
        await entered.Task.WaitAsync(EngineTestSupport.Patience);
        await host.Client.SuspendInstanceAsync(id, "hold");
        await host.Client.UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);

        // The cached execution still waits for the gate alone, but the store refuses its episode: the outcome is queued.
        release.SetResult();
        await Task.Delay(200);
        var held = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, held!.RuntimeStatus);
        Assert.Equal(2, (await host.Client.HistoryAsync(id)).OfType<TaskScheduledEvent>().Count());

        await host.Client.ResumeInstanceAsync(id);
        var done = await host.Client.CompletionAsync(id);
        Assert.Equal("a!", done.ReadOutputAs<string>());
        Assert.Equal(1, counter["gate"]);
        Assert.Equal(3, (await host.Client.HistoryAsync(id)).OfType<TaskCompletedEvent>().Count());
    }
}
