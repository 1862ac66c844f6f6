using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Provisioning.Arm.Pipeline;

namespace Provisioning.Secrets;

/// <summary>
/// Protects secrets (a container's <c>secureValue</c>, a <c>securestring</c> parameter) with ASP.NET Core Data
/// Protection before they enter orchestration history, custom status or logs, and turns them back into plaintext
/// inside the activity, just before the ARM request is sent (as the ARM client's <see cref="IRequestSecretResolver"/>).
/// </summary>
/// <remarks>
/// A protected value is a self-describing token, <c>protected:v1:</c> followed by the Data Protection payload
/// (base64url): it can be recognised anywhere in a JSON body, and the version leaves room for another scheme
/// (e.g. Key Vault references) later. The keys are those of the host's key ring: the data folder locally, Key Vault
/// in Azure. Tokens carry their key's id, so a rotated key ring still reads older tokens while it keeps the old keys.
/// </remarks>
public sealed class SecretProtector : IRequestSecretResolver
{
    /// <summary>The Data Protection purpose: tokens of this product cannot be read by another purpose, nor its tokens here.</summary>
    public const string Purpose = "Provisioning.Secrets.v1";

    /// <summary>
    /// The Data Protection application name every host of this product uses: keys are isolated per application name,
    /// so a fixed one lets a restarted host (or another instance of the Functions app) read the tokens it made.
    /// </summary>
    public const string ApplicationName = "provisioning-functions";

    /// <summary>How every token begins (the ARM client recognises the same prefix, <see cref="RequestBodySecrets.ProtectedPrefix"/>).</summary>
    public const string TokenPrefix = RequestBodySecrets.ProtectedPrefix;

    private readonly IDataProtector _protector;

    /// <summary>Creates the protector on a Data Protection provider (the host's, with its key ring).</summary>
    /// <param name="provider">The Data Protection provider.</param>
    public SecretProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
    }

    /// <summary>Protects a secret.</summary>
    /// <param name="plaintext">The secret.</param>
    /// <returns><c>protected:v1:</c> followed by the encrypted, authenticated payload.</returns>
    public string Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return TokenPrefix + _protector.Protect(plaintext);
    }

    /// <summary>Whether a value is a token made by <see cref="Protect"/> (by its prefix; nothing is decrypted).</summary>
    /// <param name="value">Any string.</param>
    /// <returns><c>true</c> for a protected value.</returns>
    public bool IsProtected(string value) =>
        value is not null && value.StartsWith(TokenPrefix, StringComparison.Ordinal);

    /// <summary>The plaintext of a token made by <see cref="Protect"/>.</summary>
    /// <param name="token">The token.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="ArgumentException">The value is not a protected token.</exception>
    /// <exception cref="SecretUnprotectException">The key ring cannot decrypt it (lost or replaced key ring, another application name, a damaged token).</exception>
    public string Unprotect(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!IsProtected(token))
        {
            throw new ArgumentException($"The value is not a protected secret: it does not start with '{TokenPrefix}'.", nameof(token));
        }
        try
        {
            return _protector.Unprotect(token[TokenPrefix.Length..]);
        }
        catch (CryptographicException e)
        {
            // Data Protection's message names the key id it could not find; the secret itself is never in it.
            throw new SecretUnprotectException(
                "A protected secret cannot be decrypted with this host's Data Protection key ring: the key that protected it is not there "
                + "(the key ring was lost or replaced: locally the data folder's 'dataprotection-keys', in Azure the key ring in Key Vault; "
                + "or the host runs with another application name), or the token is damaged. A run started before the key ring changed "
                + "cannot use its secrets: start it again with the secret. Data Protection said: " + e.Message,
                e);
        }
        catch (FormatException e)
        {
            throw new SecretUnprotectException("A protected secret is damaged: its payload is not base64url. Start the run again with the secret.", e);
        }
    }
}
