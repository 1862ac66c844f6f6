namespace Provisioning.Host.Telemetry;

/// <summary>Tells ARM calls from the host's other HTTP calls (see <c>ArmCallMetrics.IsArmCall</c>): the ARM endpoint the host's runs call.</summary>
/// <param name="Endpoint">Azure Resource Manager, or the sandbox's emulator of it.</param>
internal sealed record ArmEndpoint(Uri Endpoint);
