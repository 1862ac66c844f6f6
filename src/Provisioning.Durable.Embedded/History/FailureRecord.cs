using Microsoft.DurableTask;

namespace Provisioning.Durable.Embedded.History;

/// <summary>
/// Why a task or an orchestration failed, as the store keeps it. Its JSON shape (errorType, errorMessage,
/// stackTrace, innerFailure) is the one stores written before the engine moved to the Durable Task SDK hold, so
/// they read unchanged; it converts to the SDK's <see cref="TaskFailureDetails"/> at the engine's edges.
/// </summary>
/// <param name="ErrorType">The full name of the exception type.</param>
/// <param name="ErrorMessage">The exception's message.</param>
/// <param name="StackTrace">Where the failure was raised.</param>
/// <param name="InnerFailure">The inner failure, if any.</param>
internal sealed record FailureRecord(string ErrorType, string ErrorMessage, string? StackTrace = null, FailureRecord? InnerFailure = null)
{
    /// <summary>
    /// Captures an exception as the SDK's worker does: a <see cref="TaskFailedException"/> keeps its own type and
    /// message and carries the failed task's details as its inner failure.
    /// </summary>
    public static FailureRecord FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is Execution.TaskNotFoundException missing)
        {
            return new FailureRecord(missing.ErrorType, missing.Message);
        }

        var inner = exception switch
        {
            TaskFailedException failed => From(failed.FailureDetails),
            { InnerException: { } innerException } => FromException(innerException),
            _ => null,
        };
        return new FailureRecord(exception.GetType().FullName ?? exception.GetType().Name, exception.Message, exception.StackTrace, inner);
    }

    /// <summary>Converts the SDK's details.</summary>
    public static FailureRecord From(TaskFailureDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new FailureRecord(details.ErrorType, details.ErrorMessage, details.StackTrace, details.InnerFailure is null ? null : From(details.InnerFailure));
    }

    /// <summary>The SDK's view of this failure.</summary>
    public TaskFailureDetails ToTaskFailureDetails()
        => new(ErrorType, ErrorMessage, StackTrace, InnerFailure?.ToTaskFailureDetails(), null);

    /// <inheritdoc />
    public override string ToString() => InnerFailure is null
        ? $"{ErrorType}: {ErrorMessage}"
        : $"{ErrorType}: {ErrorMessage} ---> {InnerFailure}";
}
