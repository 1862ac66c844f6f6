using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;

namespace Provisioning.Durable.Embedded.Tests;

public sealed class InstanceControlTests
{
    private static void Register(DurableTaskRegistry registry) => registry
        .AddHello()
        .AddOrchestratorFunc<object?, string>("WaitsForGo", async (context, _) =>
        {
            context.SetCustomStatus(new { stage = "waiting" });
            var value = await context.WaitForExternalEvent<string>("go");
            context.SetCustomStatus(new { stage = "done" });
            return value;
        });

    [Fact]
    public async Task Terminate_stops_a_waiting_instance_and_the_reason_becomes_its_output()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitsForGo");
        await host.Client.WaitForInstanceStartAsync(id);
        await host.Client.TerminateInstanceAsync(id, "operator said so");
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, done.RuntimeStatus);
        Assert.Equal("operator said so", done.ReadOutputAs<string>());
        var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.Client.TerminateInstanceAsync(id));
        Assert.Contains("Terminated", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.TerminateInstanceAsync("missing"));
    }

    [Fact]
    public async Task Waiting_on_an_instance_that_does_not_exist_fails_at_once_instead_of_hanging()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.WaitForInstanceCompletionAsync("never-started", cancellation: timeout.Token));
        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.WaitForInstanceStartAsync("never-started", cancellation: timeout.Token));
        Assert.False(timeout.IsCancellationRequested);
    }

    [Fact]
    public async Task A_suspended_instance_keeps_its_events_until_it_resumes()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitsForGo");
        await host.Client.UntilAsync(id, m => m.SerializedCustomStatus is not null);
        await host.Client.SuspendInstanceAsync(id, "maintenance");
        await host.Client.UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await host.Client.RaiseEventAsync(id, "go", "resumed-value");

        // The event is queued, not delivered: the instance stays suspended with the old custom status.
        var suspended = await host.Client.UntilAsync(id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        Assert.DoesNotContain(await host.Client.HistoryAsync(id), e => e is EventRaisedEvent);
        Assert.Contains("waiting", suspended.SerializedCustomStatus, StringComparison.Ordinal);

        await host.Client.ResumeInstanceAsync(id);
        var done = await host.Client.CompletionAsync(id);
        Assert.Equal("resumed-value", done.ReadOutputAs<string>());
        Assert.Contains("done", done.SerializedCustomStatus, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_a_running_id_is_refused_and_starting_a_finished_one_restarts_it()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());
        var options = new StartOrchestrationOptions { InstanceId = "fixed-id" };

        await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitsForGo", options);
        var refused = await Assert.ThrowsAsync<CoreAlreadyExistsException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("WaitsForGo", options));
        Assert.Contains("'fixed-id'", refused.Message, StringComparison.Ordinal);

        await host.Client.RaiseEventAsync("fixed-id", "go", "first");
        Assert.Equal("first", (await host.Client.CompletionAsync("fixed-id")).ReadOutputAs<string>());

        await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "again", options);
        var second = await host.Client.CompletionAsync("fixed-id");
        Assert.Equal("HelloSequence", second.Name);
        Assert.Equal("Hello again", second.ReadOutputAs<string[]>()![2]);
        Assert.Single(await host.Client.HistoryAsync("fixed-id"), e => e is ExecutionStartedEvent);
    }

    [Fact]
    public async Task A_finished_id_in_a_dedupe_status_is_kept_and_the_start_refused_while_other_statuses_restart()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());
        var once = new StartOrchestrationOptions { InstanceId = "once" }
            .WithDedupeStatuses(OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated);

        await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "first", once);
        var first = await host.Client.CompletionAsync("once");
        var refused = await Assert.ThrowsAsync<CoreAlreadyExistsException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "second", once));
        Assert.Contains("Completed", refused.Message, StringComparison.Ordinal);
        var kept = await host.Client.GetInstanceAsync("once", getInputsAndOutputs: true);
        Assert.Equal("Hello first", kept!.ReadOutputAs<string[]>()![2]);
        Assert.Equal(first.CreatedAt, kept.CreatedAt);

        // Only the listed statuses dedupe: a Completed id restarts when just Failed is listed.
        var failedOnly = new StartOrchestrationOptions { InstanceId = "once", DedupeStatuses = ["Failed"] };
        await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "third", failedOnly);
        Assert.Equal("Hello third", (await host.Client.CompletionAsync("once")).ReadOutputAs<string[]>()![2]);
    }

    [Fact]
    public async Task Scheduling_an_unknown_orchestrator_succeeds_and_the_instance_fails_naming_it()
    {
        await using var host = await EngineTestSupport.StartAsync(Register, null, EngineTestSupport.NewClock());

        // As on the SDK's gRPC backend: the client does not know what the workers registered, so the start is
        // accepted and the instance fails when a worker picks it up.
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Nope");
        var done = await host.Client.CompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("'Nope'", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_removes_finished_instances_and_leaves_running_ones()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(Register, database, clock);

        var running = await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitsForGo");
        var finished = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "a");
        await host.Client.CompletionAsync(finished);

        // A running instance is not purged (Durable Task reports 0 rather than throwing).
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync(running)).PurgedInstanceCount);
        Assert.NotNull(await host.Client.GetInstanceAsync(running));
        Assert.Equal(1, (await host.Client.PurgeInstanceAsync(finished)).PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(finished));
        Assert.Equal(0, (await host.Client.PurgeInstanceAsync(finished)).PurgedInstanceCount);

        clock.Advance(TimeSpan.FromDays(1));
        var later = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "b");
        var earlier = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "c");
        await host.Client.CompletionAsync(later);
        await host.Client.CompletionAsync(earlier);
        await host.Client.TerminateInstanceAsync(running, "stop");
        await host.Client.CompletionAsync(running);

        // Only Completed instances created from the second day on: the terminated one (day one) stays.
        var purged = await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter(CreatedFrom: clock.GetUtcNow(), Statuses: [OrchestrationRuntimeStatus.Completed]));
        Assert.Equal(2, purged.PurgedInstanceCount);
        Assert.NotNull(await host.Client.GetInstanceAsync(running));
        Assert.Equal(1, (await host.Client.PurgeAllInstancesAsync(new PurgeInstancesFilter())).PurgedInstanceCount);
    }

    [Fact]
    public async Task Query_filters_by_status_and_prefix_and_pages_with_a_continuation_token()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(Register, database, EngineTestSupport.NewClock());
        for (var i = 0; i < 5; i++)
        {
            var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", $"n{i}", new StartOrchestrationOptions { InstanceId = $"done-{i}" });
            await host.Client.CompletionAsync(id);
        }

        for (var i = 0; i < 3; i++)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("WaitsForGo", new StartOrchestrationOptions { InstanceId = $"wait-{i}" });
            await host.Client.WaitForInstanceStartAsync($"wait-{i}");
        }

        var seen = new List<string>();
        var tokens = new List<string?>();
        var completed = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], FetchInputsAndOutputs = true };
        await foreach (var page in host.Client.GetAllInstancesAsync(completed).AsPages(pageSizeHint: 2))
        {
            seen.AddRange(page.Values.Select(i => i.InstanceId));
            Assert.All(page.Values, i => Assert.NotNull(i.SerializedOutput));
            tokens.Add(page.ContinuationToken);
        }

        Assert.Equal(["done-0", "done-1", "done-2", "done-3", "done-4"], seen);
        Assert.Equal(3, tokens.Count);
        Assert.Null(tokens[^1]);

        var waiting = await host.Client.QueryAllAsync(new OrchestrationQuery { InstanceIdPrefix = "wait-" });
        Assert.Equal(3, waiting.Count);
        Assert.All(waiting, i => Assert.Equal(OrchestrationRuntimeStatus.Running, i.RuntimeStatus));
        Assert.All(waiting, i => Assert.Null(i.SerializedInput));
    }

    [Fact]
    public async Task A_prefix_query_selects_exactly_the_ids_that_start_with_it_in_id_order_across_pages()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        await using var host = await EngineTestSupport.StartAsync(Register, database, clock);

        // Pending until a later time, so every status stays as created. Neighbours on both sides of the range, and
        // ids whose next character sorts right after the prefix's last one.
        string[] ids = ["lane:", "lane9", "lane:c", "lane:a", "lane;", "lane:b\u00e9", "lanf:a", "lan", "lane:\U0001F600"];
        foreach (var id in ids)
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "x", new StartOrchestrationOptions { InstanceId = id, StartAt = clock.GetUtcNow().AddHours(1) });
        }

        // Page by page, each page asked for with the previous page's token.
        var seen = new List<string>();
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Pending], InstanceIdPrefix = "lane:", PageSize = 2 };
        do
        {
            var page = await host.Client.QueryPageAsync(query);
            seen.AddRange(page.Values.Select(i => i.InstanceId));
            query = query with { ContinuationToken = page.ContinuationToken };
        }
        while (query.ContinuationToken is not null);

        Assert.Equal(["lane:", "lane:a", "lane:b\u00e9", "lane:c", "lane:\U0001F600"], seen);
        Assert.Empty(await host.Client.QueryAllAsync(new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Running], InstanceIdPrefix = "lane:" }));
        Assert.Equal(ids.Length, (await host.Client.QueryAllAsync(new OrchestrationQuery { InstanceIdPrefix = string.Empty })).Count);
    }
}
