using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>
/// The order a system-assigned identity imposes: deploy first, since the identity exists only once the resource does,
/// then read the resource's principal (<c>identity.principalId</c>) to give it what the template names. The status says
/// so at each step. Used for vault access (<see cref="KeyVaultAccessStep"/>) and for a container group whose only
/// identity is its own, whose template grants come after the deploy.
/// </summary>
internal static class SystemIdentityAfterDeploy
{
    /// <summary>Deploys, then reads the resource's system-assigned principal; <paramref name="given"/> names what it is about to get (null: nothing), for the status.</summary>
    public static async Task<(WorkloadReady Ready, string PrincipalId)> DeployAsync(ProvisioningRun run, ResolvedWorkload workload, Func<Task<WorkloadReady>> deploy, string? given)
    {
        var displayName = WorkloadKinds.Get(workload.Kind).DisplayName;
        run.SetStatus(0, message: given is null
            ? $"Deploying the {displayName}; its system-assigned identity exists only once the {displayName} does (the template grants it nothing)."
            : $"Deploying the {displayName} before its system-assigned identity is given {given}: that identity exists only once the {displayName} does.");
        var ready = await deploy();
        run.Enter(ProvisioningPhase.GrantingRoles);
        run.SetStatus(ready.Attempts, message: $"Granting after deploy: the system identity exists only once the {displayName} does. Reading the system-assigned principal of '{workload.ResourceId.Name}'.");
        var principal = await run.StepAsync<string?>(nameof(ReadSystemPrincipal), workload.ResourceId, run.TransientPolicy)
            ?? throw new ProvisioningFailedException($"'{workload.ResourceId.Name}' has no system-assigned principal after it was deployed with one.");
        return (ready, principal);
    }

    /// <summary>
    /// A workload whose only identity is its system-assigned one and that needs no vault: deploy, read its principal,
    /// grant it the template's grants (recorded in the run's ledger, so compensation removes them with the rest).
    /// </summary>
    public static async Task<WorkloadReady> DeployThenGrantAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity, Func<Task<WorkloadReady>> deploy)
    {
        var (ready, principal) = await DeployAsync(run, workload, deploy, identity.Grants.Count > 0 ? "its grants" : null);
        await run.GrantAsync(principal, identity.Grants, systemAssigned: true);
        return ready with { PrincipalId = principal, Message = ready.Message + Granted(identity.Grants) };
    }

    /// <summary>The status sentence (with a leading space) for the template's grants given to the system-assigned identity; empty when there are none.</summary>
    public static string Granted(IReadOnlyList<ResolvedGrant> grants) => grants.Count == 0
        ? string.Empty
        : $" Its system-assigned identity was granted {string.Join(", ", grants.Select(grant => grant.RoleName ?? grant.RoleDefinitionId.ToString()))} after the deploy: that identity exists only once the resource does.";
}
