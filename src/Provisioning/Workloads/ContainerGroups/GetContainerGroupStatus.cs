using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.ContainerGroups;

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

        return new ContainerGroupStatus(true, group.ProvisioningState, group.State, group.IsRunning, PullFailure.Describe(group), group.IpAddress, group.Fqdn)
        {
            HasCompleted = group.HasCompleted,
            HasFailedContainer = group.HasFailedContainer,
        };
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
public sealed record ContainerGroupStatus(bool Exists, string? ProvisioningState, string? State, bool IsRunning, string? PullFailure, string? IpAddress, string? Fqdn)
{
    /// <summary>A job (<c>restartPolicy</c> <c>Never</c>/<c>OnFailure</c>) that ran to its end: every container terminated with exit code 0.</summary>
    /// <remarks>An init property, so statuses recorded in histories before it existed still read (as false).</remarks>
    public bool HasCompleted { get; init; }

    /// <summary>A container ended with a non-zero exit code: waiting longer will not make the group run.</summary>
    public bool HasFailedContainer { get; init; }

    /// <summary>Whether the workload is ready: running, or (a job) completed successfully.</summary>
    public bool IsReady => IsRunning || HasCompleted;
}
