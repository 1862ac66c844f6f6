using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>
/// In a process that runs orchestrations, a client's new instance is stored with its first episode already run: one
/// synced commit instead of the creation's and the dispatcher's first episode's. Where that does not apply (a taken
/// id, a client-only engine, a later start), nothing of the episode is written.
/// </summary>
public sealed class FirstEpisodeTests
{
    [Fact]
    public async Task A_scheduled_instance_is_running_its_first_activity_when_schedule_returns()
    {
        using var database = new TempDatabase();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await EngineTestSupport.StartAsync(Gated(release), database, EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Gated", "a");

        // Before any dispatcher ran: the creation's commit already holds the episode that scheduled the call.
        var started = await host.Client.GetInstanceAsync(id);
        Assert.Equal(OrchestrationRuntimeStatus.Running, started!.RuntimeStatus);
        var history = await host.Client.HistoryAsync(id);
        Assert.Single(history.OfType<ExecutionStartedEvent>());
        Assert.Equal("Gate", history.OfType<TaskScheduledEvent>().Single().Name);

        release.SetResult();
        var done = await host.Client.CompletionAsync(id);
        Assert.Equal("a!", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_burst_of_creations_completes_whether_each_started_on_its_caller_or_on_the_dispatcher()
    {
        // More concurrent creations than inline slots (one per core): the rest are stored as starts for the dispatcher.
        const int instances = 200;
        using var database = new TempDatabase();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        release.SetResult();
        await using var host = await EngineTestSupport.StartAsync(Gated(release), database, EngineTestSupport.NewClock());

        var ids = await Task.WhenAll(Enumerable.Range(0, instances).Select(i => host.Client.ScheduleNewOrchestrationInstanceAsync("Gated", $"n{i}")));

        for (var i = 0; i < instances; i++)
        {
            var done = await host.Client.CompletionAsync(ids[i]);
            Assert.Equal($"n{i}!", done.ReadOutputAs<string>());
            var history = await host.Client.HistoryAsync(ids[i]);
            Assert.Single(history.OfType<ExecutionStartedEvent>());
            Assert.Single(history.OfType<TaskScheduledEvent>());
        }
    }

    [Fact]
    public async Task A_taken_id_is_refused_and_its_episode_leaves_no_trace()
    {
        using var database = new TempDatabase();
        var counter = new ExecutionCounter();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry
                .AddActivityFunc<string, string>("Record", (_, value) =>
                {
                    counter.Increment(value);
                    return value;
                })
                .AddOrchestratorFunc<string, string>("RecordThenWait", async (context, input) =>
                {
                    await context.CallActivityAsync<string>("Record", input);
                    return await context.WaitForExternalEvent<string>("Go");
                }),
            database,
            EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("RecordThenWait", "first", new StartOrchestrationOptions("taken"));
        await host.Client.UntilHistoryAsync(id, h => h.OfType<TaskCompletedEvent>().Any());

        await Assert.ThrowsAsync<CoreAlreadyExistsException>(
            () => host.Client.ScheduleNewOrchestrationInstanceAsync("RecordThenWait", "second", new StartOrchestrationOptions("taken")));

        var kept = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Running, kept!.RuntimeStatus);
        Assert.Equal("first", kept.ReadInputAs<string>());
        Assert.Single((await host.Client.HistoryAsync(id)).OfType<TaskScheduledEvent>());

        await host.Client.RaiseEventAsync(id, "Go", "done");
        Assert.Equal("done", (await host.Client.CompletionAsync(id)).ReadOutputAs<string>());
        Assert.Equal(1, counter["first"]);
        Assert.Equal(0, counter["second"]);
    }

    [Fact]
    public async Task A_client_only_engine_stores_the_start_for_a_worker_to_run()
    {
        using var database = new TempDatabase();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        release.SetResult();
        string id;
        await using (var client = await EmbeddedEngineHost.StartAsync(Gated(release), database.DatabasePath, EngineTestSupport.NewClock(), startDispatchers: false))
        {
            // No orchestrator runs in this process, so none runs on the caller's thread either.
            id = await client.Client.ScheduleNewOrchestrationInstanceAsync("Gated", "b");
            var pending = await client.Client.GetInstanceAsync(id);
            Assert.Equal(OrchestrationRuntimeStatus.Pending, pending!.RuntimeStatus);
            Assert.Empty((await client.Client.HistoryAsync(id)).OfType<TaskScheduledEvent>());
        }

        await using var worker = await EngineTestSupport.StartAsync(Gated(release), database, EngineTestSupport.NewClock());
        var done = await worker.Client.CompletionAsync(id);
        Assert.Equal("b!", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_orchestrator_that_throws_in_its_first_episode_fails_the_instance_it_created()
    {
        using var database = new TempDatabase();
        await using var host = await EngineTestSupport.StartAsync(
            registry => registry.AddOrchestratorFunc<string, string>("Throws", (_, input) => Task.FromException<string>(new InvalidOperationException($"bad input {input}"))),
            database,
            EngineTestSupport.NewClock());

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Throws", "x");

        var failed = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed!.RuntimeStatus);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.FailureDetails!.ErrorType);
        Assert.Contains("bad input x", failed.FailureDetails.ErrorMessage, StringComparison.Ordinal);
    }

    private static Action<DurableTaskRegistry> Gated(TaskCompletionSource release) => registry => registry
        .AddActivityFunc<string, string>("Gate", async (_, value) =>
        {
            await release.Task;
            return value + "!";
        })
        .AddOrchestratorFunc<string, string>("Gated", (context, input) => context.CallActivityAsync<string>("Gate", input));
}
