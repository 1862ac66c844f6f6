using System.Globalization;
using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>Something the orchestration's code asked for in an episode; history records it as the matching event.</summary>
/// <param name="TaskId">The sequence number the code gave it.</param>
/// <param name="Kind">Activity, timer or sub-orchestration.</param>
/// <param name="Name">The activity or orchestration name; <c>null</c> for a timer.</param>
internal sealed record OrchestratorAction(int TaskId, OrchestratorActionKind Kind, string? Name)
{
    /// <summary>The serialized input.</summary>
    public string? Input { get; init; }

    /// <summary>When a timer fires.</summary>
    public DateTimeOffset FireAt { get; init; }

    /// <summary>A sub-orchestration's instance id.</summary>
    public string? ChildInstanceId { get; init; }

    /// <summary>The history event this action is recorded as.</summary>
    public HistoryEventType RecordedAs => Kind switch
    {
        OrchestratorActionKind.ScheduleActivity => HistoryEventType.TaskScheduled,
        OrchestratorActionKind.CreateTimer => HistoryEventType.TimerCreated,
        OrchestratorActionKind.SendEvent => HistoryEventType.EventSent,
        _ => HistoryEventType.SubOrchestrationCreated,
    };

    /// <summary>Describes the action for a non-determinism report.</summary>
    public override string ToString() => Kind switch
    {
        OrchestratorActionKind.ScheduleActivity => $"activity '{Name}'",
        OrchestratorActionKind.CreateTimer => $"a timer (fire at {FireAt.ToString("O", CultureInfo.InvariantCulture)})",
        OrchestratorActionKind.SendEvent => $"event '{Name}' sent to '{ChildInstanceId}'",
        _ => $"sub-orchestration '{Name}'",
    };
}
