using System.Text.Json.Nodes;
using Provisioning.Arm.Compute;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads.GrantOnly;

/// <summary>
/// Grant-only for a VM: the run grants the template's roles to an existing VM's system-assigned identity, or to one of
/// its user-assigned identities, read from the VM's <c>identity</c>. Nothing is deployed; the VM is never changed.
/// </summary>
internal sealed class VirtualMachineGrantKind : IWorkloadKind
{
    public string ResourceType => VirtualMachineClient.ResourceType;

    public string DisplayName => "virtual machine (grant only)";

    public string ServiceName => "Azure Virtual Machines";

    // 'SystemAssigned' here means "the target's own principal": the run's identity step creates nothing.
    public WorkloadIdentityModes Identities => WorkloadIdentityModes.SystemAssigned;

    public bool TrustedOnlyWithSystemIdentity => false;

    public IReadOnlyList<string> SecretPaths { get; } = [];

    public IReadOnlyList<Type> Activities { get; } = [typeof(ResolveGrantPrincipal), typeof(ListPrincipalAssignments)];

    public ResolvedWorkload? Read(JsonObject workload, WorkloadReadContext context) => new GrantOnlyReader(context, ResourceType, virtualMachine: true).Read(workload);

    // Nothing is pulled by the run; the grants' registries are still checked (they exist, and the role fits their mode).
    public IReadOnlyList<string> PulledRegistries(ResolvedWorkload workload) => [];

    public Task<WorkloadReady> DeployAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity) =>
        new GrantOnlyDeployment(run, workload, identity).GrantUntilListedAsync();
}
