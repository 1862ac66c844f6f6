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
/// exited with code 0.
/// </summary>
internal sealed class ContainerGroupKind : IWorkloadKind
{
    /// <summary>The ARM type.</summary>
    public const string Type = ContainerGroupClient.ResourceType;

    public string ResourceType => Type;

    public string DisplayName => "container group";

    public string ServiceName => "Azure Container Instances";

    public WorkloadIdentityModes Identities => WorkloadIdentityModes.UserAssigned;

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
        var read = new ContainerGroupReader(context.Errors, context.IdentityId, context.IdentityNameText).Read(groupWorkload);
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

    public Task<WorkloadReady> DeployAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity) =>
        workload.KeyVault is not null
            ? KeyVaultAccessStep.WithAccessAsync(run, workload, identity, () => new ContainerGroupDeployment(run, workload).DeployUntilReadyAsync())
            : new ContainerGroupDeployment(run, workload).DeployUntilReadyAsync();
}
