namespace Provisioning.Activities;

/// <summary>
/// The region has no capacity for the workload at this moment (ACI: <c>409 ServiceUnavailable</c>, "the requested
/// resource is not available in the location"). Neither permanent nor a passing blip: orchestrations retry it with
/// minutes-scale backoff, and the message names the region so an operator can choose another.
/// </summary>
public sealed class AzureCapacityException : Exception
{
    /// <summary>Creates the exception for a region and Azure's message.</summary>
    public AzureCapacityException(string location, string message, Exception? innerException = null)
        : base($"No capacity in region '{location}' at this moment (ServiceUnavailable: {message}); retrying with minutes-scale backoff. Deploy to another region to avoid the wait.", innerException)
        => Location = location;

    /// <summary>Not for use: the region is needed.</summary>
    public AzureCapacityException()
        : this("unknown", "The requested resource is not available in the location.")
    {
    }

    /// <summary>Not for use: the region is needed.</summary>
    public AzureCapacityException(string message)
        : this("unknown", message)
    {
    }

    /// <summary>The region without capacity.</summary>
    public string Location { get; } = string.Empty;
}
