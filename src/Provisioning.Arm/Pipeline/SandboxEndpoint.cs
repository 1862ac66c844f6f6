using System.Security.Cryptography.X509Certificates;

namespace Provisioning.Arm.Pipeline;

/// <summary>Where the ARM emulator listens and how to trust it.</summary>
/// <param name="BaseUri">Its HTTPS base URI, e.g. <c>https://127.0.0.1:7443/</c>.</param>
/// <param name="Certificate">Its server certificate: the only one the sandbox transport accepts.</param>
/// <param name="DevelopmentToken">The bearer token it accepts.</param>
public sealed record SandboxEndpoint(Uri BaseUri, X509Certificate2 Certificate, string DevelopmentToken)
{
    /// <summary>Reads the certificate from a PEM or DER file the emulator exported.</summary>
    /// <param name="baseUri">The emulator's base URI.</param>
    /// <param name="certificatePath">The certificate file.</param>
    /// <param name="developmentToken">The development token.</param>
    public static SandboxEndpoint FromCertificateFile(Uri baseUri, string certificatePath, string developmentToken)
    {
        var text = File.ReadAllText(certificatePath);
        var certificate = text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificateFromFile(certificatePath);
        return new SandboxEndpoint(baseUri, certificate, developmentToken);
    }
}
