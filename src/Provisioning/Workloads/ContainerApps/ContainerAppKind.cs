using System.Text.Json.Nodes;
using Provisioning.Arm.ContainerApps;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads.ContainerApps;

/// <summary>
/// Azure Container Apps: a container app in a managed environment (existing, or created by the run) that pulls from a
/// registry with its system-assigned identity or a user-assigned one (<c>configuration.registries[] {server,
/// identity}</c>). Container Apps pulls with ARM-audience tokens, so each registry must have
/// <c>azureADAuthenticationAsArmPolicy</c> enabled, and it is not a trusted service of a network-restricted registry.
/// Ready when the latest revision is provisioned and running.
/// </summary>
internal sealed class ContainerAppKind : IWorkloadKind
{
    public string ResourceType => ContainerAppClient.ResourceType;

    public string DisplayName => "container app";

    public string ServiceName => "Azure Container Apps";

    public WorkloadIdentityModes Identities => WorkloadIdentityModes.SystemAssigned | WorkloadIdentityModes.UserAssigned;

    // Container Apps is not among ACR's trusted services: the generic check already refuses any network-restricted registry.
    public bool TrustedOnlyWithSystemIdentity => false;

    public bool PullsWithArmAudienceTokens => true;

    public IReadOnlyList<string> SecretPaths { get; } = ["properties.configuration.secrets[*].value"];

    public IReadOnlyList<Type> Activities { get; } =
    [
        typeof(BeginManagedEnvironment),
        typeof(BeginContainerAppDeployment),
        typeof(GetContainerAppStatus),
    ];

    public ResolvedWorkload? Read(JsonObject workload, WorkloadReadContext context) => new ContainerAppReader(context).Read(workload);

    public IReadOnlyList<string> PulledRegistries(ResolvedWorkload workload) =>
        (workload.Body["properties"]?["configuration"]?["registries"] as JsonArray ?? [])
            .Select(registry => registry?["server"]?.GetValue<string>())
            .OfType<string>()
            .ToArray();

    public Task<WorkloadReady> DeployAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity) =>
        new ContainerAppDeployment(run, workload, identity).DeployUntilReadyAsync();

    public Provisioning.Drift.IWorkloadDrift? Drift { get; } = new ContainerAppDrift();
}
