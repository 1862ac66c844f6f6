namespace Provisioning.Durable;

/// <summary>Why a task or an orchestration failed, as recorded in history: serializable, so it survives restarts.</summary>
/// <param name="ErrorType">The full name of the exception type.</param>
/// <param name="ErrorMessage">The exception's message.</param>
/// <param name="StackTrace">The stack trace where the failure was raised.</param>
/// <param name="InnerFailure">The inner exception's details, if any.</param>
public sealed record FailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, FailureDetails? InnerFailure = null)
{
    /// <summary>Captures an exception and its inner exceptions.</summary>
    public static FailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is TaskFailedException taskFailed)
        {
            return taskFailed.FailureDetails with { };
        }

        return new FailureDetails(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException));
    }

    /// <summary>True when the failure, or one of its inner failures, was raised as <typeparamref name="T"/> or a subtype.</summary>
    /// <remarks>Types are matched by name, and subtypes only when they are loaded in this process.</remarks>
    public bool IsCausedBy<T>()
        where T : Exception
    {
        for (var failure = this; failure is not null; failure = failure.InnerFailure)
        {
            if (failure.ErrorType == typeof(T).FullName)
            {
                return true;
            }

            var type = Type.GetType(failure.ErrorType) ?? FindLoadedType(failure.ErrorType);
            if (type is not null && typeof(T).IsAssignableFrom(type))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => InnerFailure is null
        ? $"{ErrorType}: {ErrorMessage}"
        : $"{ErrorType}: {ErrorMessage} ---> {InnerFailure}";

    private static Type? FindLoadedType(string fullName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(fullName, throwOnError: false) is { } type)
            {
                return type;
            }
        }

        return null;
    }
}
