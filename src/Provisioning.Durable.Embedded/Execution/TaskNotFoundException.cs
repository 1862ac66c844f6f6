namespace Provisioning.Durable.Embedded.Execution;

/// <summary>
/// No orchestrator or activity of that name is registered with the worker. Recorded as the SDK's worker records it:
/// error type <c>OrchestratorTaskNotFound</c> or <c>ActivityTaskNotFound</c>, no stack trace, and never retried.
/// </summary>
internal sealed class TaskNotFoundException : Exception
{
    private TaskNotFoundException(string errorType, string message)
        : base(message)
    {
        ErrorType = errorType;
    }

    /// <summary>Not for use: a missing task always has a kind and a name.</summary>
    public TaskNotFoundException()
        : this(ActivityErrorType, "A task was not found.")
    {
    }

    /// <summary>Not for use: a missing task always has a kind and a name.</summary>
    public TaskNotFoundException(string message)
        : this(ActivityErrorType, message)
    {
    }

    /// <summary>Not for use: a missing task always has a kind and a name.</summary>
    public TaskNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorType = ActivityErrorType;
    }

    public const string ActivityErrorType = "ActivityTaskNotFound";

    public const string OrchestratorErrorType = "OrchestratorTaskNotFound";

    /// <summary>The error type recorded for it.</summary>
    public string ErrorType { get; }

    public static TaskNotFoundException Activity(string name) => new(ActivityErrorType, $"No activity task named '{name}' was found.");

    public static TaskNotFoundException Orchestrator(string name) => new(OrchestratorErrorType, $"No orchestrator task named '{name}' was found.");

    /// <summary>True for the failure of a missing task, which no retry can fix.</summary>
    public static bool IsTaskNotFound(string errorType) => errorType is ActivityErrorType or OrchestratorErrorType;
}
