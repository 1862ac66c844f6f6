using Microsoft.DurableTask;
using Provisioning.Activities;
using Provisioning.Orchestrations;
using Provisioning.Workloads;

namespace Provisioning.Runs;

/// <summary>
/// The provisioning orchestrations and their activities, registered by name (the class name, which is what the
/// orchestrations schedule) with an engine: the embedded one, a gRPC sidecar, or Durable Functions, whose app has one
/// trigger function for each of these.
/// </summary>
public static class ProvisioningRegistration
{
    /// <summary>Every orchestrator of this project.</summary>
    public static IReadOnlyList<Type> Orchestrators { get; } = [typeof(ProvisionWorkload)];

    /// <summary>Every activity of this project: the run's own, then each workload kind's (<see cref="WorkloadKinds"/>).</summary>
    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(CheckLaneTurn),
        typeof(CheckRegistryPrerequisites),
        typeof(EnsureIdentity),
        typeof(FindRoleAssignment),
        typeof(EnsureRoleAssignment),
        typeof(PollArmOperation),
        typeof(DeleteResource),
        .. WorkloadKinds.Activities,
    ];

    /// <summary>Adds every orchestration and activity of this project (<see cref="Orchestrators"/>, <see cref="Activities"/>).</summary>
    public static DurableTaskRegistry AddProvisioning(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (var activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }
}
