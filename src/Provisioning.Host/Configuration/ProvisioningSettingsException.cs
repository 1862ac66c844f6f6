namespace Provisioning.Host.Configuration;

/// <summary>
/// The settings cannot start the host (e.g. <c>Mode=Azure</c> without a subscription). The message says what to set; the
/// host prints it and exits instead of starting something it was not asked for.
/// </summary>
public sealed class ProvisioningSettingsException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public ProvisioningSettingsException()
    {
    }

    /// <summary>Creates the exception with the message to print.</summary>
    /// <param name="message">What is wrong and what to set.</param>
    public ProvisioningSettingsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the message to print and its cause.</summary>
    /// <param name="message">What is wrong and what to set.</param>
    /// <param name="innerException">The cause.</param>
    public ProvisioningSettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
