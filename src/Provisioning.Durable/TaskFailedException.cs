namespace Provisioning.Durable;

/// <summary>
/// Raised inside an orchestration when an activity or sub-orchestration it awaited failed. The original
/// exception ran elsewhere (perhaps in another process, before a restart); <see cref="FailureDetails"/> is
/// what history kept of it.
/// </summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception for a failed task.</summary>
    public TaskFailedException(string taskName, int taskId, FailureDetails failureDetails)
        : base(Describe(taskName, taskId, failureDetails))
    {
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    /// <summary>Not for use: a failed task always has a name and details.</summary>
    public TaskFailedException()
        : this("unknown", -1, new FailureDetails(typeof(Exception).FullName!, "unknown failure"))
    {
    }

    /// <summary>Not for use: a failed task always has a name and details.</summary>
    public TaskFailedException(string message)
        : this("unknown", -1, new FailureDetails(typeof(Exception).FullName!, message))
    {
    }

    /// <summary>Not for use: a failed task always has a name and details.</summary>
    public TaskFailedException(string message, Exception innerException)
        : this("unknown", -1, FailureDetails.FromException(innerException) with { ErrorMessage = message })
    {
    }

    /// <summary>The name of the activity or sub-orchestration that failed.</summary>
    public string TaskName { get; }

    /// <summary>The task's sequence number in the orchestration's history.</summary>
    public int TaskId { get; }

    /// <summary>What failed, as recorded in history.</summary>
    public FailureDetails FailureDetails { get; }

    private static string Describe(string taskName, int taskId, FailureDetails failureDetails)
    {
        ArgumentNullException.ThrowIfNull(failureDetails);
        return $"Task '{taskName}' (#{taskId}) failed with an unhandled exception: {failureDetails.ErrorMessage}";
    }
}
