namespace Provisioning.Host.Configuration;

/// <summary>Which ARM the host talks to, and the subscription requests default to.</summary>
/// <param name="SubscriptionId">The default subscription.</param>
/// <param name="IsSandbox">True when ARM is the in-process emulator.</param>
public sealed record ArmTarget(string SubscriptionId, bool IsSandbox);
