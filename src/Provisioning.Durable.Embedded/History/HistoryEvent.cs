namespace Provisioning.Durable.Embedded.History;

/// <summary>
/// One entry of an instance's event-sourced history, and also the payload of the messages that deliver new
/// entries. Flat on purpose: each type uses the few fields it needs, and the JSON stays small and readable.
/// </summary>
/// <param name="Type">What happened.</param>
/// <param name="Timestamp">When the engine recorded it.</param>
internal sealed record HistoryEvent(HistoryEventType Type, DateTimeOffset Timestamp)
{
    /// <summary>The sequence number of the activity, timer or sub-orchestration it concerns; -1 when none.</summary>
    public int TaskId { get; init; } = -1;

    /// <summary>Orchestration, activity, sub-orchestration or event name.</summary>
    public string? Name { get; init; }

    /// <summary>Serialized input, result, payload or reason.</summary>
    public string? Data { get; init; }

    /// <summary>The failure recorded by TaskFailed, SubOrchestrationFailed and ExecutionFailed.</summary>
    public FailureRecord? Failure { get; init; }

    /// <summary>When a timer fires (TimerCreated, TimerFired).</summary>
    public DateTimeOffset? FireAt { get; init; }

    /// <summary>The execution an ExecutionStarted begins.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>The child's instance id (SubOrchestrationCreated).</summary>
    public string? ChildInstanceId { get; init; }

    /// <summary>The parent of a sub-orchestration (ExecutionStarted).</summary>
    public ParentReference? Parent { get; init; }

    /// <summary>True for the client's control messages, which act on the instance rather than on its code.</summary>
    public bool IsControl => Type is HistoryEventType.ExecutionTerminated or HistoryEventType.ExecutionSuspended or HistoryEventType.ExecutionResumed;
}
