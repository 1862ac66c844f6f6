using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.ContainerApps;

/// <summary>Reads the container app and its latest revision: what proves it ready, or why its revision failed.</summary>
public sealed class GetContainerAppStatus(ProvisioningArmClient arm) : ArmActivity<ArmResourceId, ContainerAppStatus>(arm)
{
    /// <inheritdoc />
    protected override async Task<ContainerAppStatus> ExecuteAsync(ArmResourceId input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var app = await Arm.ContainerApps.GetAsync(input, cancellationToken);
        if (app is null)
        {
            return new ContainerAppStatus(false, null, null, null, null, null, null, null);
        }

        var revision = app.LatestRevisionName is { } name ? await Arm.ContainerApps.GetRevisionAsync(input, name, cancellationToken) : null;
        return new ContainerAppStatus(
            true,
            app.ProvisioningState,
            app.LatestRevisionName,
            revision?.ProvisioningState,
            revision?.RunningState,
            revision?.ProvisioningError,
            app.Fqdn,
            app.SystemPrincipalId);
    }
}

/// <summary>A container app as the history keeps it.</summary>
/// <param name="Exists">Whether the app exists.</param>
/// <param name="ProvisioningState">The app's provisioning state.</param>
/// <param name="LatestRevision">The revision its last update started.</param>
/// <param name="RevisionProvisioningState">That revision's provisioning state (Provisioning, Provisioned, Failed…).</param>
/// <param name="RevisionRunningState">That revision's running state (Processing, Running, Failed…).</param>
/// <param name="RevisionError">Why the revision failed to provision (e.g. the image pull's error).</param>
/// <param name="Fqdn">The ingress FQDN.</param>
/// <param name="SystemPrincipalId">The app's system-assigned principal, when it has one.</param>
public sealed record ContainerAppStatus(
    bool Exists,
    string? ProvisioningState,
    string? LatestRevision,
    string? RevisionProvisioningState,
    string? RevisionRunningState,
    string? RevisionError,
    string? Fqdn,
    string? SystemPrincipalId)
{
    /// <summary>The latest revision is provisioned and running.</summary>
    public bool IsReady =>
        string.Equals(RevisionProvisioningState, "Provisioned", StringComparison.OrdinalIgnoreCase)
        && string.Equals(RevisionRunningState, "Running", StringComparison.OrdinalIgnoreCase);

    /// <summary>The latest revision is still being provisioned.</summary>
    public bool IsProvisioning =>
        string.Equals(RevisionProvisioningState, "Provisioning", StringComparison.OrdinalIgnoreCase);
}
