using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    /// <summary>An orchestrator that announces it is waiting (custom status) and returns the "Approval" payload.</summary>
    private static DurableTaskRegistry AddApprovalWaiter(DurableTaskRegistry registry) =>
        registry.AddOrchestratorFunc<string>("AwaitApproval", async ctx =>
        {
            ctx.SetCustomStatus("waiting");
            return $"approved by {await ctx.WaitForExternalEvent<string>("Approval")}";
        });

    [Fact]
    public async Task Events_raised_before_the_orchestration_waits_are_buffered_and_delivered_in_order()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartAsync(r => r
            .AddActivityFunc<string>("Gate", async _ =>
            {
                await gate.Task.WaitAsync(WaitTimeout);
                return "opened";
            })
            .AddOrchestratorFunc<int[]>("CollectItems", async ctx =>
            {
                await ctx.CallActivityAsync<string>("Gate");
                var items = new int[3];
                for (var i = 0; i < items.Length; i++)
                {
                    items[i] = await ctx.WaitForExternalEvent<int>("Item");
                }

                return items;
            }));

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("CollectItems");
        await WaitForStartAsync(host, id);
        foreach (var item in new[] { 1, 2, 3 })
        {
            await host.Client.RaiseEventAsync(id, "Item", item);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        gate.SetResult();
        var done = await WaitForCompletionAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal([1, 2, 3], done.ReadOutputAs<int[]>()!);
    }

    [Fact]
    public async Task Event_raised_while_the_orchestration_waits_completes_the_wait()
    {
        await using var host = await StartAsync(r => AddApprovalWaiter(r));

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval");
        await WaitUntilAsync(host, id, m => m.SerializedCustomStatus == "\"waiting\"");
        await host.Client.RaiseEventAsync(id, "Approval", "alice");
        var done = await WaitForCompletionAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("approved by alice", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Event_names_match_case_insensitively()
    {
        await using var host = await StartAsync(r => AddApprovalWaiter(r));

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval");
        await WaitUntilAsync(host, id, m => m.SerializedCustomStatus == "\"waiting\"");
        await host.Client.RaiseEventAsync(id, "APPROVAL", "bob");
        var done = await WaitForCompletionAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("approved by bob", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Event_wait_with_timeout_throws_TaskCanceledException_inside_the_orchestration()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("AwaitWithTimeout", async ctx =>
            {
                try
                {
                    return await ctx.WaitForExternalEvent<string>("Never", TimeSpan.FromSeconds(1));
                }
                catch (OperationCanceledException e)
                {
                    return $"timed out: {e.GetType().FullName}";
                }
            }));

        var done = await RunAsync(host, "AwaitWithTimeout");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("timed out: System.Threading.Tasks.TaskCanceledException", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Unhandled_event_timeout_fails_the_orchestration_with_an_AggregateException()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("AwaitWithTimeout", ctx =>
                ctx.WaitForExternalEvent<string>("Never", TimeSpan.FromMilliseconds(500))));

        var done = await RunAsync(host, "AwaitWithTimeout");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(
            [
                ("System.AggregateException", "One or more errors occurred. (A task was canceled.)"),
                ("System.Threading.Tasks.TaskCanceledException", "A task was canceled."),
            ],
            Failures.Chain(done.FailureDetails));
    }

    [Fact]
    public async Task SendEvent_from_one_orchestration_reaches_another_waiting_instance()
    {
        await using var host = await StartAsync(r => AddApprovalWaiter(r)
            .AddOrchestratorFunc<string, string>("Approver", (ctx, target) =>
            {
                ctx.SendEvent(target, "Approval", $"orchestration {ctx.InstanceId}");
                return "sent";
            }));

        await host.Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", new StartOrchestrationOptions("receiver"));
        await WaitUntilAsync(host, "receiver", m => m.SerializedCustomStatus == "\"waiting\"");
        var sender = await RunAsync(host, "Approver", "receiver", instanceId: "sender");
        var receiver = await WaitForCompletionAsync(host, "receiver");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, sender.RuntimeStatus);
        Assert.Equal("sent", sender.ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, receiver.RuntimeStatus);
        Assert.Equal("approved by orchestration sender", receiver.ReadOutputAs<string>());
    }
}
