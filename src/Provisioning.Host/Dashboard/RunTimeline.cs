using System.Text.Json.Nodes;
using DurableTask.Core.History;
using Provisioning.Host.Http;

namespace Provisioning.Host.Dashboard;

/// <summary>
/// A run's timeline read from its durable history: each activity call from its schedule to its completion, each durable
/// timer from its creation to its firing (the waits: grant propagation, principal replication, backoff, lane turns),
/// and the events it received (a cancel). The history records no custom status, so a wait is named after the step it
/// follows; the page adds the current phase from the custom status to the wait that is still going.
/// </summary>
internal static class RunTimeline
{
    /// <summary>The steps, in the order they started.</summary>
    /// <param name="history">The run's history.</param>
    /// <param name="finished">Whether the run has finished: a timer that never fired was then abandoned, not pending.</param>
    public static IReadOnlyList<TimelineStep> From(IEnumerable<HistoryEvent> history, bool finished)
    {
        ArgumentNullException.ThrowIfNull(history);
        var steps = new List<TimelineStep>();
        var activities = new Dictionary<int, int>();
        var timers = new Dictionary<int, int>();
        string? lastActivity = null;
        foreach (var entry in history)
        {
            var at = new DateTimeOffset(DateTime.SpecifyKind(entry.Timestamp, DateTimeKind.Utc));
            switch (entry)
            {
                case TaskScheduledEvent scheduled:
                    activities[scheduled.EventId] = steps.Count;
                    lastActivity = scheduled.Name;
                    steps.Add(new TimelineStep("activity", scheduled.Name ?? "activity", at, null, finished ? "abandoned" : "running", Describe(scheduled.Input)));
                    break;
                case TaskCompletedEvent completed when activities.TryGetValue(completed.TaskScheduledId, out var index):
                    steps[index] = steps[index] with { End = at, Outcome = "completed" };
                    break;
                case TaskFailedEvent failed when activities.TryGetValue(failed.TaskScheduledId, out var index):
                    steps[index] = steps[index] with { End = at, Outcome = "failed", Detail = failed.FailureDetails?.ErrorMessage ?? failed.Reason ?? steps[index].Detail };
                    break;
                case TimerCreatedEvent created:
                    timers[created.EventId] = steps.Count;
                    var due = new DateTimeOffset(DateTime.SpecifyKind(created.FireAt, DateTimeKind.Utc));
                    steps.Add(new TimelineStep("wait", lastActivity is null ? "wait" : $"wait after {lastActivity}", at, null, finished ? "abandoned" : "waiting", null, due));
                    break;
                case TimerFiredEvent fired when timers.TryGetValue(fired.TimerId, out var index):
                    steps[index] = steps[index] with { End = at, Outcome = "fired" };
                    break;
                case EventRaisedEvent raised:
                    steps.Add(new TimelineStep("event", raised.Name ?? "event", at, at, "received", null));
                    break;
                default:
                    break;
            }
        }

        return steps;
    }

    // An activity's input names what it works on: show the resource id (or the first string) rather than the whole body.
    private static string? Describe(string? input)
    {
        var node = StatusResponsePayload.ParseOrString(input);
        return node switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonObject body => FirstText(body, "id") ?? FirstText(body, "resourceId") ?? FirstText(body, "containerGroupId") ?? Truncate(body.ToJsonString()),
            _ => Truncate(node.ToJsonString()),
        };
    }

    private static string? FirstText(JsonObject body, string property)
        => body.FirstOrDefault(pair => string.Equals(pair.Key, property, StringComparison.OrdinalIgnoreCase)).Value is JsonValue value
            && value.TryGetValue<string>(out var text) ? text : null;

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
