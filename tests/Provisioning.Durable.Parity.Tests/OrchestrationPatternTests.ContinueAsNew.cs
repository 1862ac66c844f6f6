using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    [Fact]
    public async Task ContinueAsNew_loops_with_the_new_input_until_done()
    {
        var increments = new Counter();
        await using var host = await StartAsync(r => r
            .AddActivityFunc<int, int>("Increment", (_, n) =>
            {
                increments.Increment();
                return n + 1;
            })
            .AddOrchestratorFunc<int, int>("CountTo5", async (ctx, n) =>
            {
                if (n == 0)
                {
                    ctx.SetCustomStatus("first generation");
                }

                var next = await ctx.CallActivityAsync<int>("Increment", n);
                if (next < 5)
                {
                    ctx.ContinueAsNew(next);
                    return -1;
                }

                return next;
            }));

        var done = await RunAsync(host, "CountTo5", 0, instanceId: "counter");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("counter", done.InstanceId);
        Assert.Equal(5, done.ReadOutputAs<int>());

        // The instance shows the last generation: its input, and no custom status since that generation set none.
        Assert.Equal("4", done.SerializedInput);
        Assert.Null(done.SerializedCustomStatus);
        Assert.Equal(5, increments.Value);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ContinueAsNew_carries_unprocessed_events_only_when_asked(bool preserveUnprocessedEvents)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartAsync(r => r
            .AddActivityFunc<string>("Gate", async _ =>
            {
                await gate.Task.WaitAsync(WaitTimeout);
                return "opened";
            })
            .AddOrchestratorFunc<int, string>("TwoGenerations", async (ctx, generation) =>
            {
                if (generation == 0)
                {
                    // The event arrives while this generation waits on the activity and is left unprocessed.
                    await ctx.CallActivityAsync<string>("Gate");
                    ctx.ContinueAsNew(1, preserveUnprocessedEvents);
                    return "first generation";
                }

                try
                {
                    return $"received {await ctx.WaitForExternalEvent<string>("Note", TimeSpan.FromSeconds(1))}";
                }
                catch (OperationCanceledException)
                {
                    return "timed out";
                }
            }));

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("TwoGenerations", 0);
        await WaitForStartAsync(host, id);
        await host.Client.RaiseEventAsync(id, "Note", "from generation 0");
        await Task.Delay(TimeSpan.FromMilliseconds(200));
        gate.SetResult();
        var done = await WaitForCompletionAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("1", done.SerializedInput);
        var delivered = preserveUnprocessedEvents && Capabilities.PreservesUnprocessedEventsOnContinueAsNew;
        Assert.Equal(delivered ? "received from generation 0" : "timed out", done.ReadOutputAs<string>());
    }
}
