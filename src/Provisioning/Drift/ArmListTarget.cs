namespace Provisioning.Drift;

/// <summary>A collection a drift scan lists once, whatever the number of workloads in it.</summary>
/// <param name="Path">Its path under the ARM endpoint (e.g. <c>/subscriptions/{s}/providers/Microsoft.ContainerInstance/containerGroups</c>).</param>
/// <param name="ApiVersion">The api-version to list it at.</param>
public sealed record ArmListTarget(string Path, string ApiVersion);
