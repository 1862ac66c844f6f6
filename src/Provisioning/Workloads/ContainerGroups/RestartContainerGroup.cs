using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>
/// Starts a container group's restart (its images pulled again) and returns the operation handle to follow; null when
/// the group is gone (deleted during the wait), and then the run creates it again.
/// </summary>
public sealed class RestartContainerGroup(ProvisioningArmClient arm) : ArmActivity<ArmResourceId, string?>(arm)
{
    /// <inheritdoc />
    protected override async Task<string?> ExecuteAsync(ArmResourceId input, CancellationToken cancellationToken)
    {
        try
        {
            return (await Arm.ContainerGroups.BeginRestartAsync(input, cancellationToken)).ToJson();
        }
        catch (ArmException error) when (error.Status == 404)
        {
            return null;
        }
    }
}
