using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Operations;

namespace Provisioning.Workloads.ContainerGroups;

/// <summary>
/// Polls a container group operation once, from the handle the orchestration kept: the generic poll, with ACI's
/// failure events (<c>properties.events</c>) joined to the error so the reason reaches the run's status.
/// </summary>
public sealed class PollContainerGroupDeployment(ProvisioningArmClient arm) : ArmActivity<string, OperationPoll>(arm)
{
    /// <inheritdoc />
    protected override async Task<OperationPoll> ExecuteAsync(string input, CancellationToken cancellationToken) =>
        OperationPoll.Of(await Arm.ContainerGroups.PollAsync(ArmOperationHandle.FromJson(input), cancellationToken));
}
