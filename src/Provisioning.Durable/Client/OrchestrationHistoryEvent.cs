namespace Provisioning.Durable.Client;

/// <summary>One entry of an instance's history, as the status API shows it.</summary>
/// <param name="EventType">What happened (ExecutionStarted, TaskScheduled, TaskCompleted, TimerFired, ...).</param>
/// <param name="Timestamp">When the engine recorded it.</param>
/// <param name="Name">The activity, sub-orchestration, timer or event name, when the event has one.</param>
/// <param name="TaskId">The task sequence number it refers to, when it refers to one.</param>
/// <param name="Data">The input, result, payload or reason it carries, serialized.</param>
/// <param name="FailureDetails">The failure it records, if any.</param>
public sealed record OrchestrationHistoryEvent(
    string EventType,
    DateTimeOffset Timestamp,
    string? Name = null,
    int? TaskId = null,
    string? Data = null,
    FailureDetails? FailureDetails = null);
