namespace Provisioning.Activities;

/// <summary>
/// Azure refused a step because it is not ready yet — a new principal not replicated (<c>PrincipalNotFound</c>), a grant
/// not yet effective for an image pull — so the same step will succeed later. Orchestrations retry it with durable
/// backoff for a bounded time.
/// </summary>
public sealed class AzureNotReadyException : Exception
{
    /// <summary>Creates the exception for an ARM error code.</summary>
    public AzureNotReadyException(string code, string message, Exception? innerException = null)
        : base($"{code}: {message}", innerException) => Code = code;

    /// <summary>Not for use: the code is needed.</summary>
    public AzureNotReadyException()
        : this("NotReady", "Azure is not ready for this step yet.")
    {
    }

    /// <summary>Not for use: the code is needed.</summary>
    public AzureNotReadyException(string message)
        : this("NotReady", message)
    {
    }

    /// <summary>Not for use: the code is needed.</summary>
    public AzureNotReadyException(string message, Exception innerException)
        : this("NotReady", message, innerException)
    {
    }

    /// <summary>The ARM error code.</summary>
    public string Code { get; }
}
