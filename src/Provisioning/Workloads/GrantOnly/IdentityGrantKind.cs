using System.Text.Json.Nodes;
using Provisioning.Arm.Identities;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads.GrantOnly;

/// <summary>
/// Grant-only for an existing user-assigned identity (<c>workload.type: Microsoft.ManagedIdentity/userAssignedIdentities</c>):
/// the run grants the template's roles to it. The identity must exist; the run never creates, changes or deletes it.
/// </summary>
internal sealed class IdentityGrantKind : IWorkloadKind
{
    public string ResourceType => UserAssignedIdentityClient.ResourceType;

    public string DisplayName => "existing identity (grant only)";

    public string ServiceName => "Managed Identities";

    // 'SystemAssigned' here means "the target's own principal": the run's identity step creates nothing.
    public WorkloadIdentityModes Identities => WorkloadIdentityModes.SystemAssigned;

    public bool TrustedOnlyWithSystemIdentity => false;

    public IReadOnlyList<string> SecretPaths { get; } = [];

    public IReadOnlyList<Type> Activities { get; } = [typeof(ResolveGrantPrincipal), typeof(ListPrincipalAssignments)];

    public ResolvedWorkload? Read(JsonObject workload, WorkloadReadContext context) => new GrantOnlyReader(context, ResourceType, virtualMachine: false).Read(workload);

    public IReadOnlyList<string> PulledRegistries(ResolvedWorkload workload) => [];

    public Task<WorkloadReady> DeployAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity) =>
        new GrantOnlyDeployment(run, workload, identity).GrantUntilListedAsync();
}
