using DurableTask.Core;
using DurableTask.Core.History;
using Provisioning.Durable.Embedded.History;
using StoredEvent = Provisioning.Durable.Embedded.History.HistoryEvent;

namespace Provisioning.Durable.Embedded.Client;

/// <summary>
/// The store's history events in DurableTask.Core's shape, which is what
/// <c>DurableTaskClient.GetOrchestrationHistoryAsync</c> returns on every backend.
/// </summary>
internal static class CoreHistory
{
    public static DurableTask.Core.History.HistoryEvent From(StoredEvent stored, int eventId)
    {
        ArgumentNullException.ThrowIfNull(stored);
        DurableTask.Core.History.HistoryEvent converted = stored.Type switch
        {
            HistoryEventType.ExecutionStarted => new ExecutionStartedEvent(eventId, stored.Data) { Name = stored.Name },
            HistoryEventType.ExecutionTerminated => new ExecutionTerminatedEvent(eventId, stored.Data),
            HistoryEventType.ExecutionSuspended => new ExecutionSuspendedEvent(eventId, stored.Data),
            HistoryEventType.ExecutionResumed => new ExecutionResumedEvent(eventId, stored.Data),
            HistoryEventType.OrchestratorStarted => new OrchestratorStartedEvent(eventId),
            HistoryEventType.TaskScheduled => new TaskScheduledEvent(stored.TaskId, stored.Name ?? string.Empty, null, stored.Data),
            HistoryEventType.TaskCompleted => new TaskCompletedEvent(eventId, stored.TaskId, stored.Data),
            HistoryEventType.TaskFailed => new TaskFailedEvent(eventId, stored.TaskId, stored.Failure?.ErrorMessage, null, ToCore(stored.Failure)),
            HistoryEventType.TimerCreated => new TimerCreatedEvent(stored.TaskId, stored.FireAt?.UtcDateTime ?? default),
            HistoryEventType.TimerFired => new TimerFiredEvent(eventId, stored.FireAt?.UtcDateTime ?? default) { TimerId = stored.TaskId },
            HistoryEventType.EventRaised => new EventRaisedEvent(eventId, stored.Data) { Name = stored.Name },
            HistoryEventType.EventSent => new EventSentEvent(stored.TaskId) { Name = stored.Name, Input = stored.Data, InstanceId = stored.ChildInstanceId },
            HistoryEventType.SubOrchestrationCreated => new SubOrchestrationInstanceCreatedEvent(stored.TaskId) { Name = stored.Name, Input = stored.Data, InstanceId = stored.ChildInstanceId },
            HistoryEventType.SubOrchestrationCompleted => new SubOrchestrationInstanceCompletedEvent(eventId, stored.TaskId, stored.Data),
            HistoryEventType.SubOrchestrationFailed => new SubOrchestrationInstanceFailedEvent(eventId, stored.TaskId, stored.Failure?.ErrorMessage, null, ToCore(stored.Failure)),
            HistoryEventType.ExecutionCompleted => new ExecutionCompletedEvent(eventId, stored.Data, OrchestrationStatus.Completed, null),
            HistoryEventType.ExecutionFailed => new ExecutionCompletedEvent(eventId, null, OrchestrationStatus.Failed, ToCore(stored.Failure)),
            HistoryEventType.ContinuedAsNew => new ContinueAsNewEvent(eventId, stored.Data),
            _ => throw new InvalidOperationException($"The stored history event type {stored.Type} has no DurableTask.Core counterpart."),
        };
        converted.Timestamp = stored.Timestamp.UtcDateTime;
        return converted;
    }

    private static FailureDetails? ToCore(FailureRecord? failure)
        => failure is null ? null : new FailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, ToCore(failure.InnerFailure), false);
}
