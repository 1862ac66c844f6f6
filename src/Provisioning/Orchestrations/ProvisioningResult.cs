using System.Text.Json.Nodes;

namespace Provisioning.Orchestrations;

/// <summary>The output of a successful run: the workload is ready, or a newer run of it made this one unnecessary.</summary>
/// <param name="WorkloadId">The workload's resource id.</param>
/// <param name="Kind">The workload's kind (its ARM type).</param>
/// <param name="IdentityId">The user-assigned identity it pulls with; null for a system-assigned identity or when superseded.</param>
/// <param name="PrincipalId">The principal granted (the user-assigned identity's, or the workload's own); null when superseded.</param>
/// <param name="ClientId">The user-assigned identity's client id; null otherwise.</param>
/// <param name="RoleAssignmentIds">The role assignments that hold the grants.</param>
/// <param name="Created">What this run created (the rest it found).</param>
/// <param name="DeploymentAttempts">How many deployments it took until the pull was authorized.</param>
/// <param name="PhaseSeconds">Time spent in each phase, in seconds.</param>
/// <param name="SupersededBy">The newer run of the same workload that made this one end without changing anything; null when this run deployed.</param>
public sealed record ProvisioningResult(
    string WorkloadId,
    string Kind,
    string? IdentityId,
    string? PrincipalId,
    string? ClientId,
    IReadOnlyList<string> RoleAssignmentIds,
    IReadOnlyList<string> Created,
    int DeploymentAttempts,
    IReadOnlyDictionary<string, double> PhaseSeconds,
    string? SupersededBy = null)
{
    /// <summary>What the workload kind reports once ready (ACI: <c>ipAddress</c>, <c>fqdn</c>; ACR Task: <c>runId</c>, <c>status</c>, <c>outputImages</c>…).</summary>
    public JsonObject? Outputs { get; init; }
}
