using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class ExternalEventTests
{
    private static void Register(DurableTaskRegistry registry) => registry
        .AddOrchestratorFunc<object?, string>("Approval", async (context, _) =>
        {
            // Waits an hour before listening, so an event raised meanwhile must be buffered.
            await context.CreateTimer(TimeSpan.FromHours(1), CancellationToken.None);
            var answer = await context.WaitForExternalEvent<string>("approve");
            return $"approved by {answer}";
        })
        .AddOrchestratorFunc<object?, string>("ApprovalWithTimeout", async (context, _) =>
        {
            try
            {
                return await context.WaitForExternalEvent<string>("approve", TimeSpan.FromMinutes(30));
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        });

    [Fact]
    public async Task An_event_raised_before_the_orchestration_waits_is_buffered()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(Register, database, clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Approval");
        await host.Client.PendingTimerAsync(id);
        await host.Client.RaiseEventAsync(id, "approve", "alice");
        await host.Client.UntilHistoryAsync(id, history => history.Any(e => e is EventRaisedEvent));
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal("approved by alice", (await host.Client.CompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_event_raised_while_the_orchestration_waits_completes_the_wait()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(Register, database, clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("ApprovalWithTimeout");
        await host.Client.PendingTimerAsync(id);
        await host.Client.RaiseEventAsync(id, "APPROVE", "bob");

        Assert.Equal("bob", (await host.Client.CompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_wait_with_a_timeout_gives_up_when_the_timer_fires_first()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(Register, database, clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("ApprovalWithTimeout");
        Assert.Equal(TimeSpan.FromMinutes(30), await host.Client.AdvanceToNextTimerAsync(id, clock));

        Assert.Equal("timed out", (await host.Client.CompletionAsync(id)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task Raising_to_an_unknown_or_finished_instance_is_refused()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(r => r.AddHello(), database, clock);

        // As the SDK's gRPC client: an unknown instance is an ArgumentException, a finished one an InvalidOperationException.
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => host.Client.RaiseEventAsync("nobody", "approve"));
        Assert.Contains("nobody", unknown.Message, StringComparison.Ordinal);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "x");
        await host.Client.CompletionAsync(id);
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.Client.RaiseEventAsync(id, "approve"));
        Assert.Contains("Completed", refused.Message, StringComparison.Ordinal);
    }
}
