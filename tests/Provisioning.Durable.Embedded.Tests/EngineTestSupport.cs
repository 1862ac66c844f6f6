using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Time.Testing;

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

    public static Task<EmbeddedEngineHost> StartAsync(Action<DurableTaskRegistry> tasks, TempDatabase? database, TimeProvider clock, Action<EmbeddedEngineOptions>? options = null)
        => EmbeddedEngineHost.StartAsync(tasks, database?.DatabasePath, clock, options);

    /// <summary>Waits for the instance to finish and reads it with its input, output and custom status.</summary>
    public static async Task<OrchestrationMetadata> CompletionAsync(this DurableTaskClient client, string instanceId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>The instance's history (its current generation), oldest first, in DurableTask.Core's shape.</summary>
    public static async Task<IList<HistoryEvent>> HistoryAsync(this DurableTaskClient client, string instanceId)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await client.GetOrchestrationHistoryAsync(instanceId, timeout.Token);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the instance's state (read with inputs, outputs and custom status).</summary>
    public static async Task<OrchestrationMetadata> UntilAsync(this DurableTaskClient client, string instanceId, Func<OrchestrationMetadata, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
            if (metadata is not null && condition(metadata))
            {
                return metadata;
            }

            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the instance's history.</summary>
    public static async Task<IList<HistoryEvent>> UntilHistoryAsync(this DurableTaskClient client, string instanceId, Func<IList<HistoryEvent>, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var history = await client.GetOrchestrationHistoryAsync(instanceId, timeout.Token);
            if (condition(history))
            {
                return history;
            }

            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>
    /// The sequence number of the call an event concerns (DurableTask.Core keeps it in a different field per event
    /// type): the scheduling event's id, and the scheduled id or timer id of its outcome; <c>null</c> for the others.
    /// </summary>
    public static int? TaskId(this HistoryEvent historyEvent) => historyEvent switch
    {
        TaskScheduledEvent or TimerCreatedEvent or SubOrchestrationInstanceCreatedEvent or EventSentEvent => historyEvent.EventId,
        TaskCompletedEvent completed => completed.TaskScheduledId,
        TaskFailedEvent failed => failed.TaskScheduledId,
        TimerFiredEvent fired => fired.TimerId,
        SubOrchestrationInstanceCompletedEvent completed => completed.TaskScheduledId,
        SubOrchestrationInstanceFailedEvent failed => failed.TaskScheduledId,
        _ => null,
    };

    /// <summary>Waits for a timer the instance has created and not yet seen fire, and returns when it fires.</summary>
    public static async Task<DateTimeOffset> PendingTimerAsync(this DurableTaskClient client, string instanceId, DateTimeOffset? firingAfter = null)
    {
        DateTimeOffset? fireAt = null;
        await client.UntilHistoryAsync(instanceId, history =>
        {
            var fired = history.OfType<TimerFiredEvent>().Select(e => e.TimerId).ToHashSet();
            var pending = history.OfType<TimerCreatedEvent>().Where(e => !fired.Contains(e.EventId) && (firingAfter is null || FireTime(e) > firingAfter)).ToList();
            fireAt = pending.Count > 0 ? FireTime(pending[^1]) : null;
            return fireAt is not null;
        });
        return fireAt!.Value;
    }

    /// <summary>Advances the fake clock to the instance's next timer.</summary>
    public static async Task<TimeSpan> AdvanceToNextTimerAsync(this DurableTaskClient client, string instanceId, FakeTimeProvider clock)
    {
        // Only a timer still in the future: one the clock has already passed may just not have fired yet.
        var fireAt = await client.PendingTimerAsync(instanceId, clock.GetUtcNow());
        var wait = fireAt - clock.GetUtcNow();
        clock.Advance(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        return wait;
    }

    /// <summary>Reads the first page a query returns (the query's own continuation token and page size apply).</summary>
    public static async Task<Page<OrchestrationMetadata>> QueryPageAsync(this DurableTaskClient client, OrchestrationQuery query)
    {
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, query.PageSize))
        {
            return page;
        }

        throw new InvalidOperationException("The query returned no page at all.");
    }

    /// <summary>Every instance a query selects, across pages.</summary>
    public static async Task<List<OrchestrationMetadata>> QueryAllAsync(this DurableTaskClient client, OrchestrationQuery query)
    {
        var instances = new List<OrchestrationMetadata>();
        await foreach (var instance in client.GetAllInstancesAsync(query))
        {
            instances.Add(instance);
        }

        return instances;
    }

    private static DateTimeOffset FireTime(TimerCreatedEvent created) => new(DateTime.SpecifyKind(created.FireAt, DateTimeKind.Utc));
}
