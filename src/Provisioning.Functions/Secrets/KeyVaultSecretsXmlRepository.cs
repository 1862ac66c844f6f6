using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Provisioning.Functions.Secrets;

/// <summary>
/// Keeps the Data Protection key ring in Azure Key Vault, one secret per key (<c>dataprotection-key-{id}</c>): every
/// instance of the app reads the same keys, Key Vault encrypts them at rest with its own keys and only identities
/// granted secret access (RBAC) can read them.
/// </summary>
/// <remarks>
/// Why not the official <c>PersistKeysToAzureBlobStorage</c> + <c>ProtectKeysWithAzureKeyVault</c>: their packages
/// (<c>Azure.Extensions.AspNetCore.DataProtection.Blobs</c>, <c>.Keys</c>) and <c>Azure.Security.KeyVault.Keys</c> are
/// not served by the NuGet copy this project builds from; <c>Azure.Security.KeyVault.Secrets</c> is. Keys are written
/// once and never changed (Data Protection revokes by adding an element), so a secret per element needs no
/// concurrency control. The calls are synchronous because <see cref="IXmlRepository"/> is; Data Protection makes them
/// at start and when its cached key ring expires (about a day), not per protect or unprotect.
/// </remarks>
/// <param name="client">The vault's secret client (the app's identity needs get, list and set on secrets).</param>
public sealed class KeyVaultSecretsXmlRepository(SecretClient client) : IXmlRepository
{
    /// <summary>How the key ring's secret names begin.</summary>
    public const string NamePrefix = "dataprotection-";

    /// <summary>The content type of the key ring's secrets.</summary>
    public const string ContentType = "application/vnd.aspnetcore.dataprotection+xml";

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = new List<XElement>();
        foreach (var properties in client.GetPropertiesOfSecrets())
        {
            if (!properties.Name.StartsWith(NamePrefix, StringComparison.Ordinal) || properties.ContentType != ContentType || properties.Enabled == false)
            {
                continue;
            }
            KeyVaultSecret secret = client.GetSecret(properties.Name);
            elements.Add(XElement.Parse(secret.Value));
        }
        return elements;
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        var secret = new KeyVaultSecret(SecretName(friendlyName), element.ToString(SaveOptions.DisableFormatting));
        secret.Properties.ContentType = ContentType;
        try
        {
            client.SetSecret(secret);
        }
        catch (RequestFailedException e) when (e.Status == 403)
        {
            throw new InvalidOperationException(
                $"The Data Protection key ring cannot be written to Key Vault {client.VaultUri}: the app's identity needs 'Key Vault Secrets Officer' on the vault (get, list and set secrets). Key Vault said: {e.Message}",
                e);
        }
    }

    /// <summary>
    /// The secret name for a key ring element: <see cref="NamePrefix"/> and the element's friendly name (e.g.
    /// <c>key-{guid}</c>), with every character Key Vault does not allow in a name (only letters, digits and '-') made a '-'.
    /// </summary>
    /// <param name="friendlyName">Data Protection's name for the element; a new GUID when it gives none.</param>
    /// <returns>A valid secret name of at most 127 characters.</returns>
    public static string SecretName(string? friendlyName)
    {
        var name = new StringBuilder(NamePrefix);
        foreach (var c in string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }
        return name.Length > 127 ? name.ToString(0, 127) : name.ToString();
    }
}
