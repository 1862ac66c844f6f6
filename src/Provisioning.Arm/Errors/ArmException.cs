namespace Provisioning.Arm.Errors;

/// <summary>An ARM request that failed: the HTTP status, ARM's error and what to do about it.</summary>
public sealed class ArmException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ArmException() : this(0, new ArmError("Unknown", "The ARM request failed.", null, []), null, null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ArmException(string message) : this(0, new ArmError("Unknown", message, null, []), null, null)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ArmException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new ArmError("Unknown", message, null, []);
        Kind = ArmErrorKind.Transient;
    }

    /// <summary>Creates the exception for a failed request.</summary>
    /// <param name="status">The HTTP status (0 for a failure reported by an operation status body).</param>
    /// <param name="error">ARM's error.</param>
    /// <param name="requestId">The <c>x-ms-request-id</c> of the response, for support cases.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> the response asked for, if any.</param>
    public ArmException(int status, ArmError error, string? requestId, TimeSpan? retryAfter)
        : base($"ARM request failed with {(status == 0 ? "operation status Failed" : "HTTP " + status)}: {error?.Code}: {error?.Message}")
    {
        ArgumentNullException.ThrowIfNull(error);
        Status = status;
        Error = error;
        RequestId = requestId;
        RetryAfter = retryAfter;
        Kind = ArmErrorClassifier.Classify(status, error);
    }

    /// <summary>The HTTP status (0 for a failure reported by an operation status body).</summary>
    public int Status { get; }

    /// <summary>ARM's error.</summary>
    public ArmError Error { get; }

    /// <summary>The error code (shortcut for <c>Error.Code</c>).</summary>
    public string Code => Error.Code;

    /// <summary>What a caller should do.</summary>
    public ArmErrorKind Kind { get; }

    /// <summary>The <c>x-ms-request-id</c> of the failed response.</summary>
    public string? RequestId { get; }

    /// <summary>The delay the response asked for, if any.</summary>
    public TimeSpan? RetryAfter { get; }
}
