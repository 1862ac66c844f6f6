namespace Provisioning.Arm.ContainerApps;

/// <summary>What a run reads of a container app's revision.</summary>
/// <param name="Name">Its name, <c>{app}--{suffix}</c>.</param>
/// <param name="ProvisioningState">Provisioning, Provisioned, Failed, Deprovisioning or Deprovisioned.</param>
/// <param name="RunningState">Running, Processing, Stopped, Degraded, Failed or Unknown.</param>
/// <param name="HealthState">Healthy, Unhealthy or None.</param>
/// <param name="ProvisioningError">Why it failed to provision (e.g. the image pull's error), when it did.</param>
/// <param name="Active">Whether it is active.</param>
public sealed record ContainerAppRevision(string Name, string? ProvisioningState, string? RunningState, string? HealthState, string? ProvisioningError, bool Active)
{
    /// <summary>Whether it is provisioned and running: what proves a container app ready.</summary>
    public bool IsReady =>
        string.Equals(ProvisioningState, "Provisioned", StringComparison.OrdinalIgnoreCase)
        && string.Equals(RunningState, "Running", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether it failed to provision.</summary>
    public bool IsFailed =>
        string.Equals(ProvisioningState, "Failed", StringComparison.OrdinalIgnoreCase)
        || string.Equals(RunningState, "Failed", StringComparison.OrdinalIgnoreCase);
}
