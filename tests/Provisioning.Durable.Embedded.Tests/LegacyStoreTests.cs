using System.Security.Cryptography;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Time.Testing;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>
/// A store the engine wrote before it moved to the Durable Task SDK (Stores/engine-v1.db, described in
/// Stores/README.md) opens, reads and resumes under the SDK's orchestrators and activities registered under the same
/// names. Each test opens its own copy: the engine writes to the file it opens (WAL), and the fixture must not change.
/// </summary>
public sealed class LegacyStoreTests
{
    /// <summary>The fixture's SHA-256, as Stores/README.md records it.</summary>
    private const string FixtureSha256 = "27bee780a73af3de8ba07a92324192571c14ccdfd096f0a5b03a7bbccf9d8a87";

    /// <summary>The timer of legacy-timer fires at 2026-11-30T19:04:55.5737759Z (it was set with the real clock); start before it.</summary>
    private static readonly DateTimeOffset BeforeTheTimer = new(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Stores", "engine-v1.db");

    /// <summary>Equivalents, on the SDK, of what the old engine ran when it wrote the store (Stores/README.md).</summary>
    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivityFunc<string, string>("LegacyEcho", (_, input) => "echo:" + input)
        .AddActivityFunc<string, string>("LegacyFail", string (TaskActivityContext _, string input) => throw new InvalidOperationException("legacy failure: " + input))
        .AddOrchestratorFunc<string, string>("LegacySequence", async (context, input) =>
        {
            var first = await context.CallActivityAsync<string>("LegacyEcho", input + "1");
            var second = await context.CallActivityAsync<string>("LegacyEcho", input + "2");
            var third = await context.CallActivityAsync<string>("LegacyEcho", input + "3");
            return string.Join(",", first, second, third);
        })
        .AddOrchestratorFunc<string, string>("LegacyWaiter", async (context, input) =>
        {
            var r1 = await context.CallActivityAsync<string>("LegacyEcho", input);
            context.SetCustomStatus("waiting");
            var ev = await context.WaitForExternalEvent<string>("Go");
            var r2 = await context.CallActivityAsync<string>("LegacyEcho", ev);
            return r1 + "|" + r2;
        })
        .AddOrchestratorFunc<string, string>("LegacyTimer", async (context, input) =>
        {
            var r1 = await context.CallActivityAsync<string>("LegacyEcho", input);
            await context.CreateTimer(context.CurrentUtcDateTime.AddDays(1), CancellationToken.None);
            return r1 + "|timer";
        })
        .AddOrchestratorFunc<string, string>("LegacyFailing", (context, input) => context.CallActivityAsync<string>("LegacyFail", input));

    [Fact]
    public async Task A_completed_instance_reads_back_with_its_input_output_and_history()
    {
        using var database = CopyOfFixture();
        await using var host = await StartAsync(database, new FakeTimeProvider(BeforeTheTimer));

        var completed = await host.Client.GetInstanceAsync("legacy-completed", getInputsAndOutputs: true);
        Assert.NotNull(completed);
        Assert.Equal("LegacySequence", completed.Name);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, completed.RuntimeStatus);
        Assert.Equal("a", completed.ReadInputAs<string>());
        Assert.Equal("echo:a1,echo:a2,echo:a3", completed.ReadOutputAs<string>());
        Assert.Null(completed.FailureDetails);

        // The old rows convert to the SDK's history events (12 rows, 4 of them OrchestratorStarted).
        var history = await host.Client.HistoryAsync("legacy-completed");
        Assert.Equal(12, history.Count);
        Assert.Equal(
            ["ExecutionStarted", "TaskScheduled#0", "TaskCompleted#0", "TaskScheduled#1", "TaskCompleted#1", "TaskScheduled#2", "TaskCompleted#2", "ExecutionCompleted"],
            history.Where(e => e is not OrchestratorStartedEvent).Select(e => $"{e.EventType}{(e.TaskId() is { } t ? "#" + t : "")}"));
        Assert.Equal("LegacySequence", Assert.IsType<ExecutionStartedEvent>(history[1]).Name);
    }

    [Fact]
    public async Task A_failed_instance_reads_back_with_the_recorded_failure()
    {
        using var database = CopyOfFixture();
        await using var host = await StartAsync(database, new FakeTimeProvider(BeforeTheTimer));

        var failed = await host.Client.GetInstanceAsync("legacy-failed", getInputsAndOutputs: true);
        Assert.NotNull(failed);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Null(failed.SerializedOutput);

        // The old engine recorded the activity's failure itself, not wrapped in a TaskFailedException as the SDK does.
        var failure = failed.FailureDetails;
        Assert.NotNull(failure);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.ErrorType);
        Assert.Equal("legacy failure: b", failure.ErrorMessage);
        Assert.Null(failure.InnerFailure);
        Assert.NotNull(failure.StackTrace);
        Assert.True(failure.IsCausedBy<InvalidOperationException>());
    }

    [Fact]
    public async Task A_waiting_instance_shows_its_custom_status_and_completes_when_the_event_is_raised()
    {
        using var database = CopyOfFixture();
        await using var host = await StartAsync(database, new FakeTimeProvider(BeforeTheTimer));

        var waiting = await host.Client.GetInstanceAsync("legacy-waiting", getInputsAndOutputs: true);
        Assert.NotNull(waiting);
        Assert.Equal(OrchestrationRuntimeStatus.Running, waiting.RuntimeStatus);
        Assert.Equal("waiting", waiting.ReadCustomStatusAs<string>());

        await host.Client.RaiseEventAsync("legacy-waiting", "Go", "x");
        var done = await host.Client.CompletionAsync("legacy-waiting");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("echo:c|echo:x", done.ReadOutputAs<string>());
        Assert.Equal("waiting", done.ReadCustomStatusAs<string>());

        // The new events were appended after the five old rows, in the old layout.
        var history = await host.Client.HistoryAsync("legacy-waiting");
        Assert.Equal(
            ["ExecutionStarted", "TaskScheduled#0", "TaskCompleted#0", "EventRaised", "TaskScheduled#1", "TaskCompleted#1", "ExecutionCompleted"],
            history.Where(e => e is not OrchestratorStartedEvent).Select(e => $"{e.EventType}{(e.TaskId() is { } t ? "#" + t : "")}"));
    }

    [Fact]
    public async Task A_pending_timer_stays_pending_until_the_clock_passes_it_and_then_completes_the_instance()
    {
        using var database = CopyOfFixture();
        var clock = new FakeTimeProvider(BeforeTheTimer);
        await using var host = await StartAsync(database, clock);

        // The fixture's pending TimerFired message is not due yet, so the instance is still waiting on it.
        var fireAt = await host.Client.PendingTimerAsync("legacy-timer");
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 19, 4, 55, TimeSpan.Zero).AddTicks(5737759), fireAt);
        Assert.True(fireAt > clock.GetUtcNow());

        // An event nobody waits for makes the instance run an episode; a due timer (its message is older) would be
        // delivered in it or before it. Once the event is in history, the timer has provably not fired.
        await host.Client.RaiseEventAsync("legacy-timer", "Nudge", "ignored");
        var nudged = await host.Client.UntilHistoryAsync("legacy-timer", history => history.Any(e => e is EventRaisedEvent));
        Assert.DoesNotContain(nudged, e => e is TimerFiredEvent);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await host.Client.GetInstanceAsync("legacy-timer"))!.RuntimeStatus);

        clock.Advance(TimeSpan.FromDays(2));
        var done = await host.Client.CompletionAsync("legacy-timer");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("echo:d|timer", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task The_fixture_in_the_output_folder_is_left_unchanged()
    {
        // Every test above opened a copy, so the checked-in file is byte for byte what Stores/README.md describes.
        using var database = CopyOfFixture();
        await using (var host = await StartAsync(database, new FakeTimeProvider(BeforeTheTimer)))
        {
            await host.Client.RaiseEventAsync("legacy-waiting", "Go", "x");
            await host.Client.CompletionAsync("legacy-waiting");
        }

        Assert.Equal(FixtureSha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(FixturePath))));
        Assert.NotEqual(FixtureSha256, Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(database.DatabasePath))));
    }

    [Fact]
    public async Task Opening_a_version_1_store_migrates_it_to_the_current_schema_and_keeps_its_instances()
    {
        using var database = CopyOfFixture();
        await using (var host = await StartAsync(database, new FakeTimeProvider(BeforeTheTimer)))
        {
            var completed = await host.Client.GetInstanceAsync("legacy-completed", getInputsAndOutputs: true);
            Assert.Equal("echo:a1,echo:a2,echo:a3", completed?.ReadOutputAs<string>());
        }

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.DatabasePath};Pooling=False");
        connection.Open();
        using var version = connection.CreateCommand();
        version.CommandText = "SELECT version FROM schema_version";
        Assert.Equal(2L, version.ExecuteScalar());
        using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('instances') WHERE name = 'trace_parent'";
        Assert.Equal(1L, columns.ExecuteScalar());

        // Opened again, the migrated store is current: nothing to do, nothing refused.
        await using var again = await StartAsync(database, new FakeTimeProvider(BeforeTheTimer));
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await again.Client.GetInstanceAsync("legacy-waiting"))?.RuntimeStatus);
    }

    private static TempDatabase CopyOfFixture()
    {
        var database = new TempDatabase();
        File.Copy(FixturePath, database.DatabasePath);
        return database;
    }

    private static Task<EmbeddedEngineHost> StartAsync(TempDatabase database, TimeProvider clock)
        => EngineTestSupport.StartAsync(Register, database, clock);
}
