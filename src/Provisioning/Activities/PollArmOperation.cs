using Provisioning.Arm;
using Provisioning.Arm.Operations;

namespace Provisioning.Activities;

/// <summary>Polls a long-running ARM operation once, from the handle the orchestration kept in its history.</summary>
public sealed class PollArmOperation(ProvisioningArmClient arm) : ArmActivity<string, OperationPoll>(arm)
{
    /// <inheritdoc />
    protected override async Task<OperationPoll> ExecuteAsync(string input, CancellationToken cancellationToken)
    {
        var status = await Arm.Resources.PollAsync(ArmOperationHandle.FromJson(input), cancellationToken);
        return OperationPoll.Of(status);
    }
}
