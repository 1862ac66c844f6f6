namespace Provisioning.Durable.Embedded.History;

/// <summary>What a history event (or a message that becomes one) records. The numbers are stored: never renumber.</summary>
internal enum HistoryEventType
{
    /// <summary>A new execution starts; carries the name, input, execution id and parent.</summary>
    ExecutionStarted = 0,

    /// <summary>A client terminated the instance; carries the reason.</summary>
    ExecutionTerminated = 1,

    /// <summary>A client suspended the instance.</summary>
    ExecutionSuspended = 2,

    /// <summary>A client resumed the instance.</summary>
    ExecutionResumed = 3,

    /// <summary>An episode began; its timestamp is the orchestration's current time for that episode.</summary>
    OrchestratorStarted = 4,

    /// <summary>The orchestration scheduled an activity.</summary>
    TaskScheduled = 5,

    /// <summary>An activity returned a result.</summary>
    TaskCompleted = 6,

    /// <summary>An activity threw.</summary>
    TaskFailed = 7,

    /// <summary>The orchestration created a durable timer.</summary>
    TimerCreated = 8,

    /// <summary>A durable timer fired.</summary>
    TimerFired = 9,

    /// <summary>An external event arrived.</summary>
    EventRaised = 10,

    /// <summary>The orchestration started a sub-orchestration.</summary>
    SubOrchestrationCreated = 11,

    /// <summary>A sub-orchestration completed.</summary>
    SubOrchestrationCompleted = 12,

    /// <summary>A sub-orchestration failed or was terminated.</summary>
    SubOrchestrationFailed = 13,

    /// <summary>The execution completed with an output.</summary>
    ExecutionCompleted = 14,

    /// <summary>The execution failed.</summary>
    ExecutionFailed = 15,

    /// <summary>The execution restarted itself with a new input.</summary>
    ContinuedAsNew = 16,

    /// <summary>The orchestration sent an event to another instance (<c>SendEvent</c>): Name, Data and the target in ChildInstanceId.</summary>
    EventSent = 17,
}
