using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core.History;

namespace Provisioning.Host.Http;

/// <summary>An instance's history (<c>showHistory=true</c>) in the JSON shape of Durable Functions' status API.</summary>
internal static class HistoryEventsPayload
{
    public static JsonArray From(IEnumerable<HistoryEvent> history, bool showHistoryOutput)
    {
        var events = new JsonArray();
        foreach (var entry in history)
        {
            var (name, taskId, input, result, failure) = Describe(entry);
            var node = new JsonObject
            {
                ["EventType"] = entry.EventType.ToString(),
                ["Timestamp"] = entry.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            };
            if (name is not null)
            {
                node["Name"] = name;
            }

            if (taskId is { } id)
            {
                node["TaskScheduledId"] = id;
            }

            if (entry is TimerCreatedEvent or TimerFiredEvent)
            {
                var fireAt = entry is TimerCreatedEvent created ? created.FireAt : ((TimerFiredEvent)entry).FireAt;
                node["FireAt"] = fireAt.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
            }

            // Durable Functions names what goes into a step Input and what comes out of it Result.
            if (showHistoryOutput && input is not null)
            {
                node["Input"] = StatusResponsePayload.ParseOrString(input);
            }

            if (showHistoryOutput && result is not null)
            {
                node["Result"] = StatusResponsePayload.ParseOrString(result);
            }

            if (failure is not null)
            {
                node["FailureDetails"] = JsonSerializer.SerializeToNode(
                    new { failure.ErrorType, failure.ErrorMessage, failure.StackTrace }, JsonSerializerOptions.Web);
            }

            events.Add(node);
        }

        return events;
    }

    private static (string? Name, int? TaskId, string? Input, string? Result, DurableTask.Core.FailureDetails? Failure) Describe(HistoryEvent entry) => entry switch
    {
        ExecutionStartedEvent started => (started.Name, null, started.Input, null, null),
        TaskScheduledEvent scheduled => (scheduled.Name, scheduled.EventId, scheduled.Input, null, null),
        TaskCompletedEvent completed => (null, completed.TaskScheduledId, null, completed.Result, null),
        TaskFailedEvent failed => (null, failed.TaskScheduledId, null, null, failed.FailureDetails),
        TimerCreatedEvent created => (null, created.EventId, null, null, null),
        TimerFiredEvent fired => (null, fired.TimerId, null, null, null),
        EventRaisedEvent raised => (raised.Name, null, raised.Input, null, null),
        EventSentEvent sent => (sent.Name, sent.EventId, sent.Input, null, null),
        SubOrchestrationInstanceCreatedEvent created => (created.Name, created.EventId, created.Input, null, null),
        SubOrchestrationInstanceCompletedEvent completed => (null, completed.TaskScheduledId, null, completed.Result, null),
        SubOrchestrationInstanceFailedEvent failed => (null, failed.TaskScheduledId, null, null, failed.FailureDetails),
        ContinueAsNewEvent continued => (null, null, continued.Result, null, null),
        ExecutionCompletedEvent completed => (null, null, null, completed.Result, completed.FailureDetails),
        ExecutionTerminatedEvent terminated => (null, null, terminated.Input, null, null),
        _ => (null, null, null, null, null),
    };
}
