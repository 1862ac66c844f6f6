using Provisioning.Arm;
using Provisioning.Arm.Operations;
using Provisioning.Arm.Resources;

namespace Provisioning.Activities;

/// <summary>
/// Deletes one resource a run created, of any type, for compensation or a replace. Deleting what is already gone
/// counts as done, so the activity can run again after a crash. A long-running delete is followed to its end here,
/// bounded, because compensation must know a workload is gone before it deletes the identity the workload uses.
/// </summary>
public sealed class DeleteResource(ProvisioningArmClient arm, TimeProvider time) : ArmActivity<CreatedResource, bool>(arm)
{
    private const string RoleAssignmentSegment = "/providers/Microsoft.Authorization/roleAssignments/";
    private static readonly TimeSpan DeleteTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    protected override async Task<bool> ExecuteAsync(CreatedResource input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);

        // A role assignment is an extension resource: its id is a scope, then the assignment.
        var separator = input.Id.LastIndexOf(RoleAssignmentSegment, StringComparison.OrdinalIgnoreCase);
        if (separator > 0)
        {
            var scope = ArmResourceId.Parse(input.Id[..separator]);
            return await Arm.RoleAssignments.DeleteAsync(scope, Guid.Parse(input.Id[(separator + RoleAssignmentSegment.Length)..]), cancellationToken);
        }

        var operation = await Arm.Resources.BeginDeleteAsync(ArmResourceId.Parse(input.Id), apiVersion: null, cancellationToken);
        var deadline = time.GetUtcNow() + DeleteTimeout;
        while (true)
        {
            var status = await Arm.Resources.PollAsync(operation, cancellationToken);
            if (status.State == ArmOperationState.Succeeded)
            {
                return true;
            }

            if (status.State != ArmOperationState.InProgress || time.GetUtcNow() > deadline)
            {
                throw new InvalidOperationException($"Deleting '{input.Id}' did not complete: {status.Error?.Code ?? "timed out"} {status.Error?.Message}");
            }

            // A zero or missing Retry-After would poll in a tight loop.
            var advised = status.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? retryAfter : DefaultPollInterval;
            await Task.Delay(advised, time, cancellationToken);
        }
    }
}
