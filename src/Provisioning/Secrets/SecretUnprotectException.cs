namespace Provisioning.Secrets;

/// <summary>
/// A protected secret cannot be decrypted: the key ring that protected it is gone (a lost data folder, a replaced Key
/// Vault key ring, another application name) or the token is damaged. The message says which and what to do; it never
/// holds the secret.
/// </summary>
public sealed class SecretUnprotectException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public SecretUnprotectException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public SecretUnprotectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">Data Protection's error.</param>
    public SecretUnprotectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
