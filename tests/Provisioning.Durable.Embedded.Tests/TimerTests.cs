using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class TimerTests
{
    [Fact]
    public async Task A_fifteen_minute_durable_timer_completes_when_the_fake_clock_is_advanced()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry.AddOrchestratorFunc<object?, DateTime>("Waits", async (context, _) =>
            {
                await context.CreateTimer(TimeSpan.FromMinutes(15), CancellationToken.None);
                return context.CurrentUtcDateTime;
            }),
            database,
            clock);
        var start = clock.GetUtcNow();

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Waits");
        var fireAt = await host.Client.PendingTimerAsync(id);
        Assert.Equal(start + TimeSpan.FromMinutes(15), fireAt);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        clock.Advance(TimeSpan.FromMinutes(15));
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal((start + TimeSpan.FromMinutes(15)).UtcDateTime, done.ReadOutputAs<DateTime>());
    }

    [Fact]
    public async Task A_later_timer_fires_on_time_after_an_earlier_one_without_waiting_for_the_poll()
    {
        // Only the earliest due time is armed at once; the later one must be armed when the earlier fires. With an
        // hour-long poll, a timer left to the poll would not fire within the test's patience.
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry.AddOrchestratorFunc<int, int>("WaitsMinutes", async (context, minutes) =>
            {
                await context.CreateTimer(TimeSpan.FromMinutes(minutes), CancellationToken.None);
                return minutes;
            }),
            database,
            clock,
            options => options.PollInterval = TimeSpan.FromHours(1));

        var early = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitsMinutes", 10);
        var late = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitsMinutes", 20);
        await host.Client.PendingTimerAsync(early);
        await host.Client.PendingTimerAsync(late);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(10, (await host.Client.CompletionAsync(early)).ReadOutputAs<int>());
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync(late))!.RuntimeStatus);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(20, (await host.Client.CompletionAsync(late)).ReadOutputAs<int>());
    }

    [Fact]
    public async Task A_timer_that_came_due_while_the_engine_was_stopped_fires_when_it_starts()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        static void Register(DurableTaskRegistry registry) => registry.AddOrchestratorFunc<object?, string>("WaitsAnHour", async (context, _) =>
        {
            await context.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
            return "fired";
        });

        string id;
        await using (var first = await EngineTestSupport.StartAsync(Register, database, clock))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("WaitsAnHour");
            await first.Client.PendingTimerAsync(id);
        }

        clock.Advance(TimeSpan.FromHours(2));
        await using var second = await EngineTestSupport.StartAsync(Register, database, clock);
        Assert.Equal("fired", (await second.Client.CompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_delayed_start_waits_for_its_time()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(r => r.AddHello(), database, clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "Later", new StartOrchestrationOptions { StartAt = clock.GetUtcNow().AddMinutes(10) });
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        clock.Advance(TimeSpan.FromMinutes(10));
        var started = await host.Client.WaitForInstanceStartAsync(id);
        Assert.NotEqual(OrchestrationRuntimeStatus.Pending, started.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.Client.CompletionAsync(id)).RuntimeStatus);
    }
}
