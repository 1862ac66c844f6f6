using DurableTask.Core.History;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class ContinueAsNewTests
{
    [Fact]
    public async Task ContinueAsNew_restarts_with_new_input_and_carries_unprocessed_events()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry.AddOrchestratorFunc<int, int>("Accumulator", async (context, total) =>
            {
                if (total >= 6)
                {
                    return total;
                }

                var add = await context.WaitForExternalEvent<int>("add");
                context.ContinueAsNew(total + add);
                return total;
            }),
            database,
            clock);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Accumulator", 0);
        await host.Client.WaitForInstanceStartAsync(id);

        // Three events at once: one episode consumes the first, the other two must survive the restarts.
        await host.Client.RaiseEventAsync(id, "add", 1);
        await host.Client.RaiseEventAsync(id, "add", 2);
        await host.Client.RaiseEventAsync(id, "add", 3);
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(6, done.ReadOutputAs<int>());
        Assert.Equal(6, done.ReadInputAs<int>());

        // The last generation's history starts afresh.
        var history = await host.Client.HistoryAsync(id);
        Assert.Single(history, e => e is ExecutionStartedEvent);
        Assert.DoesNotContain(history, e => e is EventRaisedEvent);
    }
}
