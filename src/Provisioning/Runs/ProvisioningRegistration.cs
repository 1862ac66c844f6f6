using Microsoft.DurableTask;
using Provisioning.Activities;
using Provisioning.Orchestrations;

namespace Provisioning.Runs;

/// <summary>Registers the provisioning orchestrations and their activities with an engine (embedded or Durable Functions).</summary>
public static class ProvisioningRegistration
{
    /// <summary>Adds every orchestration and activity of this project.</summary>
    public static DurableTaskRegistry AddProvisioning(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<ProvisionContainerGroup>()
            .AddActivity<CheckLaneTurn>()
            .AddActivity<CheckRegistryPrerequisites>()
            .AddActivity<EnsureIdentity>()
            .AddActivity<FindRoleAssignment>()
            .AddActivity<EnsureRoleAssignment>()
            .AddActivity<BeginContainerGroupDeployment>()
            .AddActivity<PollContainerGroupDeployment>()
            .AddActivity<GetContainerGroupStatus>()
            .AddActivity<DeleteResource>();
    }
}
