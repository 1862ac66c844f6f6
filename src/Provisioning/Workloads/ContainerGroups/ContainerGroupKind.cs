using System.Text.Json.Nodes;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Resources;
using Provisioning.Drift;
using Provisioning.Orchestrations;
using Provisioning.Secrets;
using Provisioning.Workloads.KeyVaultAccess;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>
/// Azure Container Instances: a container group that pulls its images from a registry with a user-assigned identity
/// (ACI cannot pull with a system-assigned one). Ready when every container runs, or, for a job, when every container
/// exited with code 0. A group may also have only its system-assigned identity (<c>identity: { type: SystemAssigned }</c>):
/// it then pulls public images only, and its principal, which exists once the group does, gets the template's grants
/// (and its vault access) after the deploy.
/// </summary>
internal sealed class ContainerGroupKind : IWorkloadKind
{
    /// <summary>The ARM type.</summary>
    public const string Type = ContainerGroupClient.ResourceType;

    public string ResourceType => Type;

    public string DisplayName => "container group";

    public string ServiceName => "Azure Container Instances";

    // Both: the system-assigned identity cannot pull (ContainerGroupReader refuses every registry credential of such a
    // group, with the fix), but it can be the group's only identity, given its grants and vault access after the deploy.
    public WorkloadIdentityModes Identities => WorkloadIdentityModes.UserAssigned | WorkloadIdentityModes.SystemAssigned;

    public bool TrustedOnlyWithSystemIdentity => false;

    // Every field Azure treats as secret in a container group (it never returns them on a GET).
    public IReadOnlyList<string> SecretPaths => SecretFields.ContainerGroup;

    public IReadOnlyList<Type> Activities { get; } =
    [
        typeof(BeginContainerGroupDeployment),
        typeof(PollContainerGroupDeployment),
        typeof(GetContainerGroupStatus),
        typeof(RestartContainerGroup),
        .. KeyVaultAccessStep.Activities,
    ];

    public IWorkloadDrift? Drift { get; } = new ContainerGroupDrift();

    public ResolvedWorkload? Read(JsonObject workload, WorkloadReadContext context)
    {
        // An optional 'keyVault' section (issue 14 §3) is not part of the container group ARM receives: read apart.
        var (groupWorkload, keyVaultNode) = KeyVaultAccessReader.Split(workload);
        var read = new ContainerGroupReader(context.Errors, context.IdentityId, context.IdentityNameText, context.SystemAssigned).Read(groupWorkload);
        var keyVault = keyVaultNode is null ? null : KeyVaultAccessReader.Read(keyVaultNode, context.Errors);
        if (context.Target is not { } target || read is not { } group)
        {
            return null;
        }

        var id = ArmResourceId.ForResource(target.SubscriptionId, target.ResourceGroupName, Type, group.Name);
        return new ResolvedWorkload(Type, id, group.Definition.ToArmBody()) { KeyVault = keyVault };
    }

    public IReadOnlyList<string> PulledRegistries(ResolvedWorkload workload) =>
        (workload.Body["properties"]?["imageRegistryCredentials"] as JsonArray ?? [])
            .Select(credential => credential?["server"]?.GetValue<string>())
            .OfType<string>()
            .ToArray();

    public Task<WorkloadReady> DeployAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity)
    {
        Func<Task<WorkloadReady>> deploy = () => new ContainerGroupDeployment(run, workload).DeployUntilReadyAsync();
        if (workload.KeyVault is not null)
        {
            return KeyVaultAccessStep.WithAccessAsync(run, workload, identity, deploy);
        }

        return identity.SystemAssigned ? SystemIdentityAfterDeploy.DeployThenGrantAsync(run, workload, identity, deploy) : deploy();
    }
}
