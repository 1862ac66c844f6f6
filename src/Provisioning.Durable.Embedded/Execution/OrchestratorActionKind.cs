namespace Provisioning.Durable.Embedded.Execution;

/// <summary>The kinds of work an orchestration schedules.</summary>
internal enum OrchestratorActionKind
{
    /// <summary>Call an activity.</summary>
    ScheduleActivity,

    /// <summary>Create a durable timer.</summary>
    CreateTimer,

    /// <summary>Start a sub-orchestration.</summary>
    CreateSubOrchestration,

    /// <summary>An event sent to another instance; nothing is awaited.</summary>
    SendEvent,
}
