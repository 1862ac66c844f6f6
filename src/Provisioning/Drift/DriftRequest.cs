namespace Provisioning.Drift;

/// <summary>The drift run's input.</summary>
/// <param name="DryRun">Find drift without repairing it.</param>
/// <param name="RepairTimeout">How long the drift run follows its repair runs before reporting them timed out; null for 30 minutes.</param>
/// <param name="PollInterval">How often it checks them; null for 10 seconds.</param>
public sealed record DriftRequest(bool DryRun = false, TimeSpan? RepairTimeout = null, TimeSpan? PollInterval = null);
