namespace Provisioning.Host.Dashboard;

/// <summary>One HTTP call a run's activity made (to ARM, or the sandbox's emulator of it).</summary>
/// <param name="Time">When it started.</param>
/// <param name="Activity">The activity that made it.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">The URL.</param>
/// <param name="Status">The response's status code; null when no response came.</param>
/// <param name="Seconds">How long it took.</param>
/// <param name="Error">The error type, when it failed.</param>
public sealed record ArmCall(DateTimeOffset Time, string? Activity, string? Method, string? Url, int? Status, double Seconds, string? Error);
