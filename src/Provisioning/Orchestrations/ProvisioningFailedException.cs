namespace Provisioning.Orchestrations;

/// <summary>A run failed for good (or was cancelled); the message says at which step, why, and what compensation did.</summary>
public sealed class ProvisioningFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProvisioningFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ProvisioningFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Not for use: a failure has a reason.</summary>
    public ProvisioningFailedException()
        : base("Provisioning failed.")
    {
    }
}
