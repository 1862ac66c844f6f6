namespace Provisioning.Host.Telemetry;

/// <summary>Tells ARM calls from the host's other HTTP calls: the ARM endpoint's host and port, less the sandbox emulator's own admin routes.</summary>
/// <param name="Endpoint">Azure Resource Manager, or the sandbox's emulator of it.</param>
internal sealed record ArmEndpoint(Uri Endpoint)
{
    /// <summary>Whether <paramref name="uri"/> is a call to ARM.</summary>
    public bool IsArmCall(Uri uri)
        => string.Equals(uri.Host, Endpoint.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == Endpoint.Port
            && !uri.AbsolutePath.StartsWith("/_emulator", StringComparison.Ordinal);
}
