using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>What the embedded backend gained with the SDK: events between instances, recursive terminate and purge,
/// restart, the history API, dedupe statuses, and a clear refusal of entities.</summary>
public sealed class EngineFeatureTests
{
    private static void Register(DurableTaskRegistry registry, ExecutionCounter counter) => registry
        .AddHello()
        .AddActivityFunc<string, string>("Counted", (_, input) =>
        {
            counter.Increment(input);
            return $"ran {input}";
        })
        .AddOrchestratorFunc<string, string>("RunsCounted", (context, input) => context.CallActivityAsync<string>("Counted", input))
        .AddOrchestratorFunc<object?, string>("Receiver", async (context, _) => $"received {await context.WaitForExternalEvent<string>("ping")}")
        .AddOrchestratorFunc<string, string>("Sender", (context, target) =>
        {
            context.SendEvent(target, "ping", $"from {context.InstanceId}");
            return Task.FromResult("sent");
        })
        .AddOrchestratorFunc<string, string>("ParentOfWaiter", (context, childId) =>
            context.CallSubOrchestratorAsync<string>("Receiver", options: new SubOrchestrationOptions { InstanceId = childId }))
        .AddOrchestratorFunc<string, string>("ParentOfCounted", (context, input) =>
            context.CallSubOrchestratorAsync<string>("RunsCounted", input, new TaskOptions().WithInstanceId($"{context.InstanceId}-child")))
        .AddOrchestratorFunc<object?, string>("UsesEntities", async (context, _) =>
        {
            await context.Entities.CallEntityAsync<int>(new Microsoft.DurableTask.Entities.EntityInstanceId("counter", "a"), "get");
            return "unreachable";
        });

    [Fact]
    public async Task SendEvent_delivers_an_event_to_another_instance()
    {
        await using var host = await StartAsync(new ExecutionCounter());

        var receiver = await host.Client.ScheduleNewOrchestrationInstanceAsync("Receiver", new StartOrchestrationOptions { InstanceId = "receiver" });
        await host.Client.WaitForInstanceStartAsync(receiver);
        var sender = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sender", receiver, new StartOrchestrationOptions { InstanceId = "sender" });

        Assert.Equal("sent", (await host.Client.CompletionAsync(sender)).ReadOutputAs<string>());
        Assert.Equal("received from sender", (await host.Client.CompletionAsync(receiver)).ReadOutputAs<string>());

        var sent = Assert.Single((await host.Client.HistoryAsync(sender)).OfType<EventSentEvent>());
        Assert.Equal("ping", sent.Name);
        Assert.Equal(receiver, sent.InstanceId);
        var raised = Assert.Single((await host.Client.HistoryAsync(receiver)).OfType<EventRaisedEvent>());
        Assert.Equal("ping", raised.Name);
    }

    [Fact]
    public async Task SendEvent_to_an_instance_that_does_not_exist_is_dropped_and_the_sender_completes()
    {
        await using var host = await StartAsync(new ExecutionCounter());

        var sender = await host.Client.ScheduleNewOrchestrationInstanceAsync("Sender", "nobody-home");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.Client.CompletionAsync(sender)).RuntimeStatus);
        Assert.Null(await host.Client.GetInstanceAsync("nobody-home"));
    }

    [Fact]
    public async Task Terminate_with_Recursive_ends_a_running_child_and_without_it_leaves_the_child_running()
    {
        await using var host = await StartAsync(new ExecutionCounter());

        var recursive = await StartParentWithWaitingChildAsync(host, "parent-r", "child-r");
        await host.Client.TerminateInstanceAsync(recursive, new TerminateInstanceOptions { Output = "stop", Recursive = true });

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.Client.CompletionAsync(recursive)).RuntimeStatus);
        var child = await host.Client.CompletionAsync("child-r");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, child.RuntimeStatus);
        Assert.Equal("stop", child.ReadOutputAs<string>());

        var alone = await StartParentWithWaitingChildAsync(host, "parent-n", "child-n");
        await host.Client.TerminateInstanceAsync(alone, "stop");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.Client.CompletionAsync(alone)).RuntimeStatus);

        // Still alive: it takes the event it waits for and completes; its answer to the terminated parent is dropped.
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync("child-n"))!.RuntimeStatus);
        await host.Client.RaiseEventAsync("child-n", "ping", "late");
        Assert.Equal("received late", (await host.Client.CompletionAsync("child-n")).ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await host.Client.GetInstanceAsync(alone))!.RuntimeStatus);
    }

    [Fact]
    public async Task Purge_with_Recursive_removes_the_children_too_and_without_it_only_the_instance()
    {
        await using var host = await StartAsync(new ExecutionCounter());
        var recursive = await host.Client.ScheduleNewOrchestrationInstanceAsync("ParentOfCounted", "p1", new StartOrchestrationOptions { InstanceId = "purge-r" });
        var alone = await host.Client.ScheduleNewOrchestrationInstanceAsync("ParentOfCounted", "p2", new StartOrchestrationOptions { InstanceId = "purge-n" });
        Assert.Equal("ran p1", (await host.Client.CompletionAsync(recursive)).ReadOutputAs<string>());
        Assert.Equal("ran p2", (await host.Client.CompletionAsync(alone)).ReadOutputAs<string>());
        Assert.NotNull(await host.Client.GetInstanceAsync("purge-r-child"));

        Assert.Equal(2, (await host.Client.PurgeInstanceAsync(recursive, new PurgeInstanceOptions(Recursive: true))).PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(recursive));
        Assert.Null(await host.Client.GetInstanceAsync("purge-r-child"));

        Assert.Equal(1, (await host.Client.PurgeInstanceAsync(alone)).PurgedInstanceCount);
        Assert.Null(await host.Client.GetInstanceAsync(alone));
        Assert.NotNull(await host.Client.GetInstanceAsync("purge-n-child"));
    }

    [Fact]
    public async Task RestartAsync_runs_a_finished_instance_again_with_its_original_input_under_the_same_or_a_new_id()
    {
        var counter = new ExecutionCounter();
        await using var host = await StartAsync(counter);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("RunsCounted", "once", new StartOrchestrationOptions { InstanceId = "restarted" });
        Assert.Equal("ran once", (await host.Client.CompletionAsync(id)).ReadOutputAs<string>());
        Assert.Equal(1, counter["once"]);

        Assert.Equal(id, await host.Client.RestartAsync(id, restartWithNewInstanceId: false));
        var again = await host.Client.CompletionAsync(id);
        Assert.Equal(2, counter["once"]);
        Assert.Equal("once", again.ReadInputAs<string>());
        Assert.Equal("ran once", again.ReadOutputAs<string>());
        Assert.Single(await host.Client.HistoryAsync(id), e => e is ExecutionStartedEvent);

        var newId = await host.Client.RestartAsync(id, restartWithNewInstanceId: true);
        Assert.NotEqual(id, newId);
        var copy = await host.Client.CompletionAsync(newId);
        Assert.Equal(3, counter["once"]);
        Assert.Equal("RunsCounted", copy.Name);
        Assert.Equal("once", copy.ReadInputAs<string>());
        Assert.Equal("ran once", copy.ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.RestartAsync("no-such-instance"));
        var waiting = await host.Client.ScheduleNewOrchestrationInstanceAsync("Receiver");
        await host.Client.WaitForInstanceStartAsync(waiting);
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Client.RestartAsync(waiting));
    }

    [Fact]
    public async Task GetOrchestrationHistoryAsync_returns_the_events_in_the_order_they_happened()
    {
        await using var host = await StartAsync(new ExecutionCounter());
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", "London");
        await host.Client.CompletionAsync(id);

        var history = await host.Client.HistoryAsync(id);

        var types = history.Select(e => e.EventType).ToList();
        Assert.Equal(EventType.OrchestratorStarted, types[0]);
        Assert.Equal(EventType.ExecutionStarted, types[1]);
        Assert.Equal(EventType.ExecutionCompleted, types[^1]);
        Assert.Equal(3, types.Count(t => t == EventType.TaskScheduled));
        Assert.Equal(3, types.Count(t => t == EventType.TaskCompleted));

        var started = Assert.IsType<ExecutionStartedEvent>(history[1]);
        Assert.Equal("HelloSequence", started.Name);
        Assert.Equal("\"London\"", started.Input);
        foreach (var scheduled in history.OfType<TaskScheduledEvent>())
        {
            // Each call's outcome comes after it was scheduled.
            var completed = history.OfType<TaskCompletedEvent>().Single(c => c.TaskScheduledId == scheduled.EventId);
            Assert.True(history.IndexOf(scheduled) < history.IndexOf(completed));
            Assert.Equal("SayHello", scheduled.Name);
        }

        Assert.Equal(
            ["\"Hello Tokyo\"", "\"Hello Seattle\"", "\"Hello London\""],
            history.OfType<TaskCompletedEvent>().Select(c => c.Result));
        var end = Assert.IsType<ExecutionCompletedEvent>(history[^1]);
        Assert.Equal(OrchestrationStatus.Completed, end.OrchestrationStatus);
        Assert.Equal("[\"Hello Tokyo\",\"Hello Seattle\",\"Hello London\"]", end.Result);

        await Assert.ThrowsAsync<ArgumentException>(() => host.Client.GetOrchestrationHistoryAsync("no-such-instance"));
    }

    [Fact]
    public async Task Entities_are_refused_with_a_clear_NotSupportedException_on_the_client_and_in_orchestrations()
    {
        await using var host = await StartAsync(new ExecutionCounter());

        var error = Assert.Throws<NotSupportedException>(() => host.Client.Entities);
        Assert.Contains("embedded backend does not support durable entities", error.Message, StringComparison.Ordinal);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("UsesEntities");
        var done = await host.Client.CompletionAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Equal(typeof(NotSupportedException).FullName, done.FailureDetails!.ErrorType);
        Assert.Contains("embedded backend does not support durable entities", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DedupeStatuses_Completed_refuses_recreating_a_completed_id_and_without_it_the_id_is_replaced()
    {
        var counter = new ExecutionCounter();
        await using var host = await StartAsync(counter);
        await host.Client.ScheduleNewOrchestrationInstanceAsync("RunsCounted", "first", new StartOrchestrationOptions { InstanceId = "dedupe" });
        var first = await host.Client.CompletionAsync("dedupe");

        var refused = await Assert.ThrowsAsync<CoreAlreadyExistsException>(() => host.Client.ScheduleNewOrchestrationInstanceAsync(
            "RunsCounted", "second", new StartOrchestrationOptions { InstanceId = "dedupe", DedupeStatuses = ["Completed"] }));
        Assert.Contains("'dedupe'", refused.Message, StringComparison.Ordinal);
        var kept = await host.Client.GetInstanceAsync("dedupe", getInputsAndOutputs: true);
        Assert.Equal("ran first", kept!.ReadOutputAs<string>());
        Assert.Equal(first.CreatedAt, kept.CreatedAt);
        Assert.Equal(0, counter["second"]);

        await host.Client.ScheduleNewOrchestrationInstanceAsync("RunsCounted", "third", new StartOrchestrationOptions { InstanceId = "dedupe" });
        var replaced = await host.Client.CompletionAsync("dedupe");
        Assert.Equal("third", replaced.ReadInputAs<string>());
        Assert.Equal("ran third", replaced.ReadOutputAs<string>());
        Assert.Single(await host.Client.HistoryAsync("dedupe"), e => e is ExecutionStartedEvent);
    }

    private static Task<EmbeddedEngineHost> StartAsync(ExecutionCounter counter)
        => EngineTestSupport.StartAsync(registry => Register(registry, counter), null, EngineTestSupport.NewClock());

    private static async Task<string> StartParentWithWaitingChildAsync(EmbeddedEngineHost host, string parentId, string childId)
    {
        await host.Client.ScheduleNewOrchestrationInstanceAsync("ParentOfWaiter", childId, new StartOrchestrationOptions { InstanceId = parentId });
        await host.Client.UntilAsync(parentId, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);
        await host.Client.WaitForInstanceStartAsync(childId);
        return parentId;
    }
}
