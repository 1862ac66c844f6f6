namespace Provisioning.Orchestrations;

/// <summary>The output of a successful run: the group runs, or a newer run of it made this one unnecessary.</summary>
/// <param name="ContainerGroupId">The running container group.</param>
/// <param name="IdentityId">The user-assigned identity it pulls with; null when superseded.</param>
/// <param name="PrincipalId">The identity's principal id; null when superseded.</param>
/// <param name="ClientId">The identity's client id; null when superseded.</param>
/// <param name="RoleAssignmentIds">The role assignments that hold the grants.</param>
/// <param name="IpAddress">The group's IP address.</param>
/// <param name="Fqdn">The group's FQDN, when it has a DNS label.</param>
/// <param name="Created">What this run created (the rest it found).</param>
/// <param name="DeploymentAttempts">How many deployments it took until the pull was authorized.</param>
/// <param name="PhaseSeconds">Time spent in each phase, in seconds.</param>
/// <param name="SupersededBy">The newer run of the same workload that made this one end without changing anything; null when this run deployed.</param>
public sealed record ProvisioningResult(
    string ContainerGroupId,
    string? IdentityId,
    string? PrincipalId,
    string? ClientId,
    IReadOnlyList<string> RoleAssignmentIds,
    string? IpAddress,
    string? Fqdn,
    IReadOnlyList<string> Created,
    int DeploymentAttempts,
    IReadOnlyDictionary<string, double> PhaseSeconds,
    string? SupersededBy = null);
