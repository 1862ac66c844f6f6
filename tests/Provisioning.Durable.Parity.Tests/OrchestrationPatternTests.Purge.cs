using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    [Fact]
    public async Task PurgeInstance_removes_a_finished_instance_but_not_a_running_one()
    {
        await using var host = await StartAsync(r => AddApprovalWaiter(r)
            .AddOrchestratorFunc<string, string>("Echo", (_, s) => s));
        await RunAsync(host, "Echo", "x", instanceId: "finished");
        await host.Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", new StartOrchestrationOptions("running"));
        await WaitUntilAsync(host, "running", m => m.SerializedCustomStatus == "\"waiting\"");

        var finished = await host.Client.PurgeInstanceAsync("finished");
        var running = await host.Client.PurgeInstanceAsync("running");
        var missing = await host.Client.PurgeInstanceAsync("never-existed");

        Assert.Equal(1, finished.PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync("finished"));
        Assert.Equal(0, running.PurgedInstanceCount);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync("running"))!.RuntimeStatus);
        Assert.Equal(0, missing.PurgedInstanceCount);
    }

    [Fact]
    public async Task PurgeAllInstances_removes_what_the_filter_selects()
    {
        await using var host = await StartAsync(r => AddApprovalWaiter(r)
            .AddOrchestratorFunc<string, string>("Echo", (_, s) => s)
            .AddOrchestratorFunc<string>("Throws", Task<string> (_) => throw new InvalidOperationException("boom")));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        foreach (var id in new[] { "done-1", "done-2", "done-3" })
        {
            await RunAsync(host, "Echo", id, instanceId: id);
        }

        await RunAsync(host, "Throws", instanceId: "failed-1");
        await host.Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", new StartOrchestrationOptions("running"));
        await WaitUntilAsync(host, "running", m => m.SerializedCustomStatus == "\"waiting\"");

        var none = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(
            CreatedFrom: DateTimeOffset.UtcNow.AddMinutes(5), Statuses: [OrchestrationRuntimeStatus.Completed]));
        var onlyFailed = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(
            CreatedFrom: before, Statuses: [OrchestrationRuntimeStatus.Failed]));
        var completed = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(
            CreatedFrom: before, Statuses: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed]));

        Assert.Equal(0, none.PurgedInstanceCount);
        Assert.Equal(1, onlyFailed.PurgedInstanceCount);
        Assert.Equal(3, completed.PurgedInstanceCount);
        foreach (var id in new[] { "done-1", "done-2", "done-3", "failed-1" })
        {
            Assert.Null(await host.Client.GetInstanceAsync(id));
        }

        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync("running"))!.RuntimeStatus);
    }
}
