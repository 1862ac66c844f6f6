using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerApps;

/// <summary>What a run reads of a container app.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Location">Its region.</param>
/// <param name="ProvisioningState">InProgress, Succeeded, Failed, Canceled or Deleting.</param>
/// <param name="RunningStatus">Running, Stopped, … (<c>properties.runningStatus</c>).</param>
/// <param name="LatestRevisionName">The revision its last update started.</param>
/// <param name="LatestReadyRevisionName">The newest revision that became ready.</param>
/// <param name="Fqdn">The ingress FQDN, when it has ingress.</param>
/// <param name="EnvironmentId">Its managed environment.</param>
/// <param name="SystemPrincipalId">Its system-assigned identity's principal, when it has one.</param>
/// <param name="Tags">Its tags.</param>
public sealed record ContainerApp(
    ArmResourceId Id,
    string Location,
    string? ProvisioningState,
    string? RunningStatus,
    string? LatestRevisionName,
    string? LatestReadyRevisionName,
    string? Fqdn,
    string? EnvironmentId,
    string? SystemPrincipalId,
    IReadOnlyDictionary<string, string> Tags);
