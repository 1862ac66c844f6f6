using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using NonDeterministicOrchestrationException = DurableTask.Core.Exceptions.NonDeterministicOrchestrationException;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class NonDeterminismTests
{
    [Fact]
    public async Task Code_that_changed_under_a_running_instance_fails_it_naming_expected_and_actual_action()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        var version = 1;
        void Register(DurableTaskRegistry registry) => registry
            .AddActivityFunc<int, int>("Foo", (_, value) => value)
            .AddOrchestratorFunc<int, int>("Changing", async (context, value) =>
            {
                // Version 1 calls an activity first; version 2 waits on a timer instead: a breaking change.
                if (version == 1)
                {
                    await context.CallActivityAsync<int>("Foo", value);
                }
                else
                {
                    await context.CreateTimer(TimeSpan.FromMinutes(1), CancellationToken.None);
                }

                return await context.WaitForExternalEvent<int>("go");
            });

        string id;
        await using (var first = await EngineTestSupport.StartAsync(Register, database, clock))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("Changing", 1);
            await first.Client.UntilHistoryAsync(id, history => history.Any(e => e is TaskCompletedEvent));
        }

        version = 2;
        await using var second = await EngineTestSupport.StartAsync(Register, database, clock);
        await second.Client.RaiseEventAsync(id, "go", 7);
        var done = await second.Client.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(NonDeterministicOrchestrationException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains(
            "scheduled an activity task with sequence number 0 named 'Foo', but the current orchestration replay instead created a timer",
            done.FailureDetails.ErrorMessage,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_that_stops_making_a_recorded_call_is_reported_as_scheduling_nothing()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        var callsActivity = true;
        void Register(DurableTaskRegistry registry) => registry
            .AddActivityFunc<int, int>("Foo", (_, value) => value)
            .AddOrchestratorFunc<int, int>("Shrinking", async (context, value) =>
            {
                if (callsActivity)
                {
                    await context.CallActivityAsync<int>("Foo", value);
                }

                return await context.WaitForExternalEvent<int>("go");
            });

        string id;
        await using (var first = await EngineTestSupport.StartAsync(Register, database, clock))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync("Shrinking", 1);
            await first.Client.UntilHistoryAsync(id, history => history.Any(e => e is TaskCompletedEvent));
        }

        callsActivity = false;
        await using var second = await EngineTestSupport.StartAsync(Register, database, clock);
        await second.Client.RaiseEventAsync(id, "go", 7);
        var done = await second.Client.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains(
            "scheduled an activity task with sequence number 0 named 'Foo', but the current replay execution hasn't (yet?) scheduled this task",
            done.FailureDetails!.ErrorMessage,
            StringComparison.Ordinal);
    }
}
