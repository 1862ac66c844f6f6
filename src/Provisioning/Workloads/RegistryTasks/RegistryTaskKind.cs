using System.Text.Json.Nodes;
using Provisioning.Arm.ContainerRegistry;
using Provisioning.Drift;
using Provisioning.Orchestrations;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>
/// ACR Tasks: a task that pulls its base image from another registry with an identity — its own system-assigned one
/// (granted once the task exists) or a user-assigned one — and is run once per provisioning. Ready when the run succeeds.
/// </summary>
internal sealed class RegistryTaskKind : IWorkloadKind
{
    public string ResourceType => RegistryTaskClient.ResourceType;

    public string DisplayName => "ACR task";

    public string ServiceName => "ACR Tasks";

    public WorkloadIdentityModes Identities => WorkloadIdentityModes.SystemAssigned | WorkloadIdentityModes.UserAssigned;

    // A registry that restricts network access lets ACR Tasks in as a trusted service only with the task's system identity.
    public bool TrustedOnlyWithSystemIdentity => true;

    public IReadOnlyList<string> SecretPaths { get; } =
    [
        "properties.credentials.sourceRegistry.password",
        "properties.credentials.customRegistries.*.password",
        "properties.step.values[*].value",
        "properties.step.arguments[*].value",
    ];

    public IReadOnlyList<Type> Activities { get; } =
    [
        typeof(EnsureRegistryTask),
        typeof(ScheduleRegistryTaskRun),
        typeof(GetRegistryTaskRun),
    ];

    public IWorkloadDrift? Drift { get; } = new RegistryTaskDrift();

    public ResolvedWorkload? Read(JsonObject workload, WorkloadReadContext context) => new RegistryTaskReader(context).Read(workload);

    public IReadOnlyList<string> PulledRegistries(ResolvedWorkload workload) =>
        (workload.Body["properties"]?["credentials"]?["customRegistries"] as JsonObject)?.Select(entry => entry.Key).ToArray() ?? [];

    public Task<WorkloadReady> DeployAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity) =>
        new RegistryTaskDeployment(run, workload, identity).DeployUntilReadyAsync();
}
