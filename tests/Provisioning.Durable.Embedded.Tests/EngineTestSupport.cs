using Microsoft.Extensions.Time.Testing;
using Provisioning.Durable.Client;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>A temporary folder with a database path, removed after the test.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "durable-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string DatabasePath => System.IO.Path.Combine(Folder, "engine.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the file for a moment; the temp folder is cleaned eventually.
        }
    }
}

public static class EngineTestSupport
{
    /// <summary>Generous: a test that waits this long has failed, not been slow.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public static Task<EmbeddedEngineHost> StartAsync(Action<OrchestrationRegistry> registry, TempDatabase? database, TimeProvider clock, Action<EmbeddedEngineOptions>? options = null)
        => EmbeddedEngineHost.StartAsync(registry, database?.DatabasePath, clock, options);

    public static async Task<OrchestrationMetadata> CompletionAsync(this OrchestrationClient client, string instanceId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the instance, polling its state and history.</summary>
    public static async Task<OrchestrationMetadata> UntilAsync(this OrchestrationClient client, string instanceId, Func<OrchestrationMetadata, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, getHistory: true, timeout.Token);
            if (metadata is not null && condition(metadata))
            {
                return metadata;
            }

            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Waits for a timer the instance has created and not yet seen fire, and returns when it fires.</summary>
    public static async Task<DateTimeOffset> PendingTimerAsync(this OrchestrationClient client, string instanceId, DateTimeOffset? firingAfter = null)
    {
        DateTimeOffset? fireAt = null;
        await client.UntilAsync(instanceId, metadata =>
        {
            var history = metadata.History!;
            var fired = history.Where(e => e.EventType == "TimerFired").Select(e => e.TaskId).ToHashSet();
            var pending = history.Where(e => e.EventType == "TimerCreated" && !fired.Contains(e.TaskId) && (firingAfter is null || FireTime(e) > firingAfter)).ToList();
            fireAt = pending.Count > 0 ? FireTime(pending[^1]) : null;
            return fireAt is not null;
        });
        return fireAt!.Value;
    }

    /// <summary>Advances the fake clock to the instance's next timer.</summary>
    public static async Task<TimeSpan> AdvanceToNextTimerAsync(this OrchestrationClient client, string instanceId, FakeTimeProvider clock)
    {
        // Only a timer still in the future: one the clock has already passed may just not have fired yet.
        var fireAt = await client.PendingTimerAsync(instanceId, clock.GetUtcNow());
        var wait = fireAt - clock.GetUtcNow();
        clock.Advance(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        return wait;
    }

    // The public history carries a timer's fire time as its data (a JSON date).
    private static DateTimeOffset FireTime(OrchestrationHistoryEvent created) => System.Text.Json.JsonSerializer.Deserialize<DateTimeOffset>(created.Data!);
}
