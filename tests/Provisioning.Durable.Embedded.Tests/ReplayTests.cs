using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class ReplayTests
{
    [Fact]
    public async Task Sequence_of_activities_completes_with_their_results_in_order()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(r => r.AddHello(), database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "London");
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["Hello Tokyo", "Hello Seattle", "Hello London"], done.ReadOutputAs<string[]>()!);
        Assert.Equal("London", done.ReadInputAs<string>());
    }

    [Fact]
    public async Task History_records_every_step_once_in_the_order_it_happened()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(r => r.AddHello(), database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "London");
        await host.Client.CompletionAsync(id);
        var history = await host.Client.HistoryAsync(id);

        var significant = history.Where(e => e is not OrchestratorStartedEvent).Select(e => $"{e.EventType}{(e.TaskId() is { } t ? "#" + t : "")}").ToList();
        Assert.Equal(
            ["ExecutionStarted", "TaskScheduled#0", "TaskCompleted#0", "TaskScheduled#1", "TaskCompleted#1", "TaskScheduled#2", "TaskCompleted#2", "ExecutionCompleted"],
            significant);
    }

    [Fact]
    public async Task An_instance_resumes_after_the_engine_restarts_by_replaying_its_history()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        var counter = new ExecutionCounter();
        void Register(DurableTaskRegistry registry) => registry
            .AddActivityFunc<int, int>("Step", (context, value) => counter.Increment($"step{value}") > 0 ? value * 2 : 0)
            .AddOrchestratorFunc<int, int>("StepTimerStep", async (context, value) =>
            {
                var first = await context.CallActivityAsync<int>("Step", value);
                await context.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
                var second = await context.CallActivityAsync<int>("Step", first);
                return second;
            });

        string id;
        await using (var first = await EngineTestSupport.StartAsync(Register, database, clock))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("StepTimerStep", 5);
            await first.Client.PendingTimerAsync(id);
        }

        await using var second = await EngineTestSupport.StartAsync(Register, database, clock);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await second.Client.GetInstanceAsync(id))!.RuntimeStatus);
        await second.Client.AdvanceToNextTimerAsync(id, clock);
        var done = await second.Client.CompletionAsync(id);

        Assert.Equal(20, done.ReadOutputAs<int>());
        Assert.Equal(1, counter["step5"]);
        Assert.Equal(1, counter["step10"]);
    }

    [Fact]
    public async Task NewGuid_and_current_time_are_the_same_when_replayed_after_a_restart()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        static void Register(DurableTaskRegistry registry) => registry
            .AddOrchestratorFunc<object?, string>("Guids", async (context, _) =>
            {
                var before = context.NewGuid();
                var startedAt = context.CurrentUtcDateTime;
                await context.CreateTimer(TimeSpan.FromMinutes(5), CancellationToken.None);
                var after = context.NewGuid();
                return $"{before}|{startedAt:O}|{after}|{context.CurrentUtcDateTime:O}";
            });

        string id;
        await using (var first = await EngineTestSupport.StartAsync(Register, database, clock))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("Guids");
            await first.Client.PendingTimerAsync(id);
        }

        var scheduledAt = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(7));
        await using var second = await EngineTestSupport.StartAsync(Register, database, clock);
        var parts = (await second.Client.CompletionAsync(id)).ReadOutputAs<string>()!.Split('|');

        Assert.NotEqual(parts[0], parts[2]);
        Assert.Equal(scheduledAt.UtcDateTime, DateTime.Parse(parts[1], null, System.Globalization.DateTimeStyles.RoundtripKind));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, DateTime.Parse(parts[3], null, System.Globalization.DateTimeStyles.RoundtripKind));

        // Version 5 (name-based) GUIDs.
        Assert.Equal('5', parts[0][14]);
    }
}
