using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;

namespace Provisioning.Arm.Pipeline;

/// <summary>
/// An HTTP transport that trusts exactly one server certificate (the ARM emulator's self-made one), compared
/// by its SHA-256 hash; every other certificate is refused, whatever the machine's trust store says.
/// </summary>
public static class PinnedCertificateTransport
{
    /// <summary>Creates the transport.</summary>
    /// <param name="certificate">The one certificate to trust (public part is enough).</param>
    public static HttpClientTransport Create(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var pinned = certificate.GetCertHash(HashAlgorithmName.SHA256);
#pragma warning disable CA2000 // The transport owns the handler (HttpClientTransport disposes its client).
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, errors) => IsPinned(presented, errors, pinned),
        };
        return new HttpClientTransport(handler);
#pragma warning restore CA2000
    }

    /// <summary>Whether the presented certificate is the pinned one.</summary>
    internal static bool IsPinned(X509Certificate2? presented, SslPolicyErrors errors, byte[] pinned) =>
        presented is not null
        && (errors & SslPolicyErrors.RemoteCertificateNotAvailable) == 0
        && CryptographicOperations.FixedTimeEquals(presented.GetCertHash(HashAlgorithmName.SHA256), pinned);
}
