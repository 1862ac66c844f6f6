namespace Provisioning.Activities;

/// <summary>
/// A passing Azure fault (throttling, 5xx, timeouts) that outlasted the HTTP pipeline's own retries. Orchestrations
/// retry the step a few more times, minutes apart, before they give up.
/// </summary>
public sealed class AzureTransientException : Exception
{
    /// <summary>Creates the exception for an ARM error code.</summary>
    public AzureTransientException(string code, string message, Exception? innerException = null)
        : base($"{code}: {message}", innerException) => Code = code;

    /// <summary>Not for use: the code is needed.</summary>
    public AzureTransientException()
        : this("Transient", "Azure failed transiently.")
    {
    }

    /// <summary>Not for use: the code is needed.</summary>
    public AzureTransientException(string message)
        : this("Transient", message)
    {
    }

    /// <summary>Not for use: the code is needed.</summary>
    public AzureTransientException(string message, Exception innerException)
        : this("Transient", message, innerException)
    {
    }

    /// <summary>The ARM error code.</summary>
    public string Code { get; }
}
