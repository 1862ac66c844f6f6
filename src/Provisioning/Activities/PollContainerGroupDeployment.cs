using Provisioning.Arm;
using Provisioning.Arm.ContainerInstance;

namespace Provisioning.Activities;

/// <summary>Polls a container group operation once, from the handle the orchestration kept.</summary>
public sealed class PollContainerGroupDeployment(ProvisioningArmClient arm) : ArmActivity<string, DeploymentPoll>(arm)
{
    /// <inheritdoc />
    protected override async Task<DeploymentPoll> ExecuteAsync(string input, CancellationToken cancellationToken)
    {
        var status = await Arm.ContainerGroups.PollAsync(ContainerGroupOperation.FromJson(input), cancellationToken);
        return new DeploymentPoll(status.State, status.Error?.Code, status.Error?.Message, status.RetryAfter);
    }
}

/// <summary>One poll of a deployment.</summary>
/// <param name="State">In progress, succeeded, failed or canceled.</param>
/// <param name="ErrorCode">The failure's code, if it failed.</param>
/// <param name="ErrorMessage">The failure's message, if it failed.</param>
/// <param name="RetryAfter">How long ARM asked to wait before the next poll.</param>
public sealed record DeploymentPoll(ArmOperationState State, string? ErrorCode, string? ErrorMessage, TimeSpan? RetryAfter);
