using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>Starts a container group's restart (its images pulled again) and returns the operation handle to follow.</summary>
public sealed class RestartContainerGroup(ProvisioningArmClient arm) : ArmActivity<ArmResourceId, string>(arm)
{
    /// <inheritdoc />
    protected override async Task<string> ExecuteAsync(ArmResourceId input, CancellationToken cancellationToken) =>
        (await Arm.ContainerGroups.BeginRestartAsync(input, cancellationToken)).ToJson();
}
