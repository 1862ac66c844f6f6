using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Activities;

/// <summary>Reads the container group with its instance view: is it running, or did a container fail to pull its image?</summary>
public sealed class GetContainerGroupStatus(ProvisioningArmClient arm) : ArmActivity<ArmResourceId, ContainerGroupStatus>(arm)
{
    /// <inheritdoc />
    protected override async Task<ContainerGroupStatus> ExecuteAsync(ArmResourceId input, CancellationToken cancellationToken)
    {
        var group = await Arm.ContainerGroups.GetAsync(input, cancellationToken);
        if (group is null)
        {
            return new ContainerGroupStatus(false, null, null, false, null, null, null);
        }

        return new ContainerGroupStatus(true, group.ProvisioningState, group.State, group.IsRunning, PullFailure.Describe(group), group.IpAddress, group.Fqdn);
    }
}

/// <summary>What the group looks like now.</summary>
/// <param name="Exists">Whether it exists.</param>
/// <param name="ProvisioningState">Its provisioning state.</param>
/// <param name="State">Its instance view state.</param>
/// <param name="IsRunning">Provisioned and every container running.</param>
/// <param name="PullFailure">The message of a refused image pull, if a container failed to pull.</param>
/// <param name="IpAddress">Its IP address.</param>
/// <param name="Fqdn">Its FQDN, when it has a DNS label.</param>
public sealed record ContainerGroupStatus(bool Exists, string? ProvisioningState, string? State, bool IsRunning, string? PullFailure, string? IpAddress, string? Fqdn);
