namespace Provisioning.Arm.Pipeline;

/// <summary>
/// Turns protected secrets in ARM request bodies back into their plaintext just before a request is sent, so
/// secrets travel through orchestration history, custom status and logs only in protected form, and any ARM
/// request, of any resource kind, gets the plaintext without its caller knowing about protection.
/// </summary>
/// <remarks>
/// The ARM client does not know how secrets are protected (the domain does, with ASP.NET Core Data Protection);
/// it only recognises protected values by <see cref="RequestBodySecrets.ProtectedPrefix"/> and asks the resolver.
/// Set it on <see cref="ArmClientOptions.SecretResolver"/>.
/// </remarks>
public interface IRequestSecretResolver
{
    /// <summary>Whether <paramref name="value"/> is a protected secret this resolver can turn into plaintext.</summary>
    /// <param name="value">A string of a request body.</param>
    /// <returns><c>true</c> for a protected secret.</returns>
    bool IsProtected(string value);

    /// <summary>The plaintext of a protected secret.</summary>
    /// <param name="token">A value for which <see cref="IsProtected"/> is <c>true</c>.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="InvalidOperationException">The value cannot be decrypted (e.g. the key ring that protected it is lost); the message says so.</exception>
    string Unprotect(string token);
}
