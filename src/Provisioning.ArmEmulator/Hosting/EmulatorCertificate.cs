using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provisioning.ArmEmulator.Hosting;

/// <summary>
/// The emulator's self-signed loopback certificate (CN=localhost, SAN 127.0.0.1/::1/localhost), created once and
/// persisted as <c>arm-emulator.pfx</c> in the data folder; regenerated when it expires within a week. Its public part is
/// kept beside it as <c>arm-emulator.pem</c>, the file clients in other processes trust (<c>curl --cacert</c>, the host's
/// <c>EmulatorCertificatePath</c>).
/// </summary>
internal static class EmulatorCertificate
{
    public const string PemFileName = "arm-emulator.pem";

    private const string FileName = "arm-emulator.pfx";

    /// <summary>Writes the certificate's PEM next to the PFX unless that file already holds it; returns its path.</summary>
    public static string WritePem(string directory, X509Certificate2 certificate)
    {
        var path = Path.Combine(directory, PemFileName);
        var pem = certificate.ExportCertificatePem() + "\n";
        if (!File.Exists(path) || File.ReadAllText(path) != pem)
        {
            EmulatorFiles.WriteAtomically(path, pem, secret: false);
        }

        return path;
    }

    public static X509Certificate2 LoadOrCreate(string directory, TimeProvider time)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            try
            {
                var existing = X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.Exportable);
                if (existing.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddDays(7))
                {
                    return existing;
                }

                existing.Dispose();
            }
            catch (CryptographicException)
            {
                // Unreadable: replace it below.
            }
        }

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost, O=Provisioning ARM Emulator", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = time.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var pfx = created.Export(X509ContentType.Pfx);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, pfx);
        if (!OperatingSystem.IsWindows())
        {
            // It holds the private key.
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
        return X509CertificateLoader.LoadPkcs12(pfx, null, X509KeyStorageFlags.Exportable);
    }
}
