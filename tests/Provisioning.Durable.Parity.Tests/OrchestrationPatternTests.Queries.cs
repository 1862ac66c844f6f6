using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

public sealed record Progress(string Stage, int Percent);

public abstract partial class OrchestrationPatternTests
{
    [Fact]
    public async Task Query_by_instance_id_prefix_pages_with_continuation_tokens()
    {
        await using var host = await StartAsync(r => AddApprovalWaiter(r)
            .AddOrchestratorFunc<int, int>("Times10", (_, n) => n * 10));
        var expected = Enumerable.Range(0, 7).Select(i => $"page-{i}").ToHashSet();
        for (var i = 0; i < 7; i++)
        {
            await RunAsync(host, "Times10", i, instanceId: $"page-{i}");
        }

        await host.Client.ScheduleNewOrchestrationInstanceAsync("AwaitApproval", new StartOrchestrationOptions("other-1"));
        await WaitUntilAsync(host, "other-1", m => m.SerializedCustomStatus == "\"waiting\"");

        var bare = await ReadPagesAsync(host, new OrchestrationQuery { InstanceIdPrefix = "page-", PageSize = 3 });
        var full = await ReadPagesAsync(
            host, new OrchestrationQuery { InstanceIdPrefix = "page-", PageSize = 3, FetchInputsAndOutputs = true });

        foreach (var pages in new[] { bare, full })
        {
            Assert.Equal([3, 3, 1], pages.Select(p => p.Values.Count));
            Assert.NotNull(pages[0].ContinuationToken);
            Assert.NotNull(pages[1].ContinuationToken);
            Assert.Null(pages[2].ContinuationToken);
            Assert.Equal(expected, pages.SelectMany(p => p.Values).Select(m => m.InstanceId).ToHashSet());
            Assert.All(pages.SelectMany(p => p.Values), m => Assert.Equal(OrchestrationRuntimeStatus.Completed, m.RuntimeStatus));
        }

        Assert.All(full.SelectMany(p => p.Values), AssertPayloads);
        if (Capabilities.QueriesHonorFetchInputsAndOutputs)
        {
            Assert.All(bare.SelectMany(p => p.Values), m =>
            {
                Assert.Null(m.SerializedInput);
                Assert.Null(m.SerializedOutput);
            });
        }
        else
        {
            Assert.All(bare.SelectMany(p => p.Values), AssertPayloads);
        }

        static void AssertPayloads(OrchestrationMetadata m)
        {
            var n = m.InstanceId["page-".Length..];
            Assert.Equal(n, m.SerializedInput);
            Assert.Equal(n == "0" ? "0" : n + "0", m.SerializedOutput);
        }

        var running = await ReadPagesAsync(host, new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running] });
        Assert.Equal(["other-1"], running.SelectMany(p => p.Values).Select(m => m.InstanceId));
        var future = await ReadPagesAsync(host, new OrchestrationQuery { CreatedFrom = DateTimeOffset.UtcNow.AddMinutes(5) });
        Assert.Empty(future.SelectMany(p => p.Values));
    }

    [Fact]
    public async Task GetInstance_returns_inputs_outputs_custom_status_and_failures_only_when_asked()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string, string>("Echo", (ctx, s) =>
            {
                ctx.SetCustomStatus("echoed");
                return s + "!";
            })
            .AddOrchestratorFunc<string>("Throws", Task<string> (_) => throw new InvalidOperationException("boom")));
        await RunAsync(host, "Echo", "hi", instanceId: "echo");
        await RunAsync(host, "Throws", instanceId: "throws");

        var bare = await host.Client.GetInstanceAsync("echo", getInputsAndOutputs: false);
        var full = await host.Client.GetInstanceAsync("echo", getInputsAndOutputs: true);
        var failedBare = await host.Client.GetInstanceAsync("throws", getInputsAndOutputs: false);
        var failedFull = await host.Client.GetInstanceAsync("throws", getInputsAndOutputs: true);

        Assert.NotNull(bare);
        Assert.Equal("echo", bare.InstanceId);
        Assert.Equal("Echo", bare.Name);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, bare.RuntimeStatus);
        Assert.True(bare.CreatedAt <= bare.LastUpdatedAt);
        Assert.Null(bare.SerializedInput);
        Assert.Null(bare.SerializedOutput);
        Assert.Null(bare.SerializedCustomStatus);

        Assert.NotNull(full);
        Assert.Equal("\"hi\"", full.SerializedInput);
        Assert.Equal("\"hi!\"", full.SerializedOutput);
        Assert.Equal("\"echoed\"", full.SerializedCustomStatus);

        Assert.NotNull(failedBare);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failedBare.RuntimeStatus);
        Assert.Null(failedBare.FailureDetails);
        Assert.NotNull(failedFull);
        Assert.Equal([("System.InvalidOperationException", "boom")], Failures.Chain(failedFull.FailureDetails));

        Assert.Null(await host.Client.GetInstanceAsync("never-existed", getInputsAndOutputs: true));
    }

    [Fact]
    public async Task Custom_status_is_visible_while_the_orchestration_runs()
    {
        await using var host = await StartAsync(r => r
            .AddOrchestratorFunc<string>("Reports", async ctx =>
            {
                ctx.SetCustomStatus(new Progress("validating", 50));
                var verdict = await ctx.WaitForExternalEvent<string>("Verdict");
                ctx.SetCustomStatus(new Progress("done", 100));
                return verdict;
            }));

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Reports");
        var running = await WaitUntilAsync(host, id, m => m.SerializedCustomStatus is not null);
        await host.Client.RaiseEventAsync(id, "Verdict", "ok");
        var done = await WaitForCompletionAsync(host, id);

        Assert.Equal(OrchestrationRuntimeStatus.Running, running.RuntimeStatus);
        Assert.Equal("{\"Stage\":\"validating\",\"Percent\":50}", running.SerializedCustomStatus);
        Assert.Equal(new Progress("validating", 50), running.ReadCustomStatusAs<Progress>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new Progress("done", 100), done.ReadCustomStatusAs<Progress>());
    }

    private static async Task<List<Page<OrchestrationMetadata>>> ReadPagesAsync(ParityHost host, OrchestrationQuery query)
    {
        var pages = new List<Page<OrchestrationMetadata>>();
        await foreach (var page in host.Client.GetAllInstancesAsync(query).AsPages())
        {
            pages.Add(page);
        }

        return pages;
    }
}
