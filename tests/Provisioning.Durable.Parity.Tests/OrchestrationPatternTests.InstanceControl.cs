using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public abstract partial class OrchestrationPatternTests
{
    [Fact]
    public async Task Terminate_ends_a_running_or_suspended_instance_with_the_given_output()
    {
        await using var host = await StartAsync(r => AddApprovalWaiter(r));
        foreach (var id in new[] { "with-output", "without-output", "suspended" })
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", new StartOrchestrationOptions(id));
            await WaitUntilAsync(host, id, m => m.SerializedCustomStatus == "\"waiting\"");
        }

        await host.Client.SuspendInstanceAsync("suspended", "pause first");
        await WaitForStatusAsync(host, "suspended", OrchestrationRuntimeStatus.Suspended);

        await host.Client.TerminateInstanceAsync("with-output", new { Reason = "stop", By = "test" });
        await host.Client.TerminateInstanceAsync("without-output");
        await host.Client.TerminateInstanceAsync("suspended", "stopped while suspended");

        var withOutput = await WaitForCompletionAsync(host, "with-output");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, withOutput.RuntimeStatus);
        Assert.Equal("{\"Reason\":\"stop\",\"By\":\"test\"}", withOutput.SerializedOutput);
        Assert.Null(withOutput.FailureDetails);

        var withoutOutput = await WaitForCompletionAsync(host, "without-output");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, withoutOutput.RuntimeStatus);
        Assert.Null(withoutOutput.SerializedOutput);

        var suspended = await WaitForCompletionAsync(host, "suspended");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, suspended.RuntimeStatus);
        Assert.Equal("stopped while suspended", suspended.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Suspended_instance_holds_events_until_resumed()
    {
        await using var host = await StartAsync(r => AddApprovalWaiter(r));
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval");
        await WaitUntilAsync(host, id, m => m.SerializedCustomStatus == "\"waiting\"");

        await host.Client.SuspendInstanceAsync(id, "hold on");
        var suspended = await WaitForStatusAsync(host, id, OrchestrationRuntimeStatus.Suspended);
        await host.Client.RaiseEventAsync(id, "Approval", "carol");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var stillSuspended = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true);

        await host.Client.ResumeInstanceAsync(id, "go on");
        var done = await WaitForCompletionAsync(host, id);

        Assert.Equal("\"waiting\"", suspended.SerializedCustomStatus);
        Assert.NotNull(stillSuspended);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, stillSuspended.RuntimeStatus);
        Assert.Null(stillSuspended.SerializedOutput);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("approved by carol", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Restart_reruns_a_finished_instance_with_its_original_input()
    {
        var runs = new Counter();
        await using var host = await StartAsync(r => r
            .AddActivityFunc<int>("CountRun", _ => runs.Increment())
            .AddOrchestratorFunc<string, string>("Job", async (ctx, input) => $"{input}#{await ctx.CallActivityAsync<int>("CountRun")}"));
        var first = await RunAsync(host, "Job", "job", instanceId: "restartable");
        Assert.Equal("job#1", first.ReadOutputAs<string>());

        if (!Capabilities.SupportsRestart)
        {
            await Assert.ThrowsAsync<NotSupportedException>(() => host.Client.RestartAsync("restartable"));
            return;
        }

        var sameId = await host.Client.RestartAsync("restartable", restartWithNewInstanceId: false);
        Assert.Equal("restartable", sameId);

        // RestartAsync returns once the new execution is recorded, so waiting now sees the rerun, not the first run.
        // (Polling GetInstanceAsync instead is unsafe on the official host; see README.md.)
        var rerun = await WaitForCompletionAsync(host, sameId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, rerun.RuntimeStatus);
        Assert.Equal("job#2", rerun.ReadOutputAs<string>());
        Assert.Equal("\"job\"", rerun.SerializedInput);

        var newId = await host.Client.RestartAsync("restartable", restartWithNewInstanceId: true);
        Assert.NotEqual("restartable", newId);
        var copy = await WaitForCompletionAsync(host, newId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, copy.RuntimeStatus);
        Assert.Equal("Job", copy.Name);
        Assert.Equal("\"job\"", copy.SerializedInput);
        Assert.Equal("job#3", copy.ReadOutputAs<string>());
        Assert.Equal("job#2", (await host.Client.GetInstanceAsync("restartable", getInputsAndOutputs: true))!.ReadOutputAs<string>());

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.RestartAsync("no-such-instance"));
    }
}
