using Provisioning.Arm;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Resources;

namespace Provisioning.Activities;

/// <summary>
/// Deletes one resource a run created, for compensation. Deleting what is already gone counts as done, so the
/// activity can run again after a crash. A container group's delete is long-running: it is followed to its end here,
/// bounded, because compensation must know the group is gone before it deletes the identity the group uses.
/// </summary>
public sealed class DeleteResource(ProvisioningArmClient arm, TimeProvider time) : ArmActivity<CreatedResource, bool>(arm)
{
    private static readonly TimeSpan DeleteTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(500);

    /// <inheritdoc />
    protected override async Task<bool> ExecuteAsync(CreatedResource input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        switch (input.Kind)
        {
            case CreatedResourceKind.Identity:
                return await Arm.Identities.DeleteAsync(ArmResourceId.Parse(input.Id), cancellationToken);
            case CreatedResourceKind.RoleAssignment:
                var separator = input.Id.LastIndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase);
                var scope = ArmResourceId.Parse(input.Id[..separator]);
                return await Arm.RoleAssignments.DeleteAsync(scope, Guid.Parse(input.Id[(input.Id.LastIndexOf('/') + 1)..]), cancellationToken);
            case CreatedResourceKind.ContainerGroup:
                var operation = await Arm.ContainerGroups.BeginDeleteAsync(ArmResourceId.Parse(input.Id), cancellationToken);
                var deadline = time.GetUtcNow() + DeleteTimeout;
                while (true)
                {
                    var status = await Arm.ContainerGroups.PollAsync(operation, cancellationToken);
                    if (status.State == ArmOperationState.Succeeded)
                    {
                        return true;
                    }

                    if (status.State != ArmOperationState.InProgress || time.GetUtcNow() > deadline)
                    {
                        throw new InvalidOperationException($"Deleting the container group '{input.Id}' did not complete: {status.Error?.Code ?? "timed out"} {status.Error?.Message}");
                    }

                    // A zero or missing Retry-After would poll in a tight loop.
                    var advised = status.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? retryAfter : DefaultPollInterval;
                    await Task.Delay(advised, time, cancellationToken);
                }

            default:
                throw new ArgumentException($"Unknown resource kind '{input.Kind}'.", nameof(input));
        }
    }
}

/// <summary>What kind of resource a run created.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<CreatedResourceKind>))]
public enum CreatedResourceKind
{
    /// <summary>A user-assigned identity.</summary>
    Identity,

    /// <summary>A role assignment.</summary>
    RoleAssignment,

    /// <summary>A container group.</summary>
    ContainerGroup,
}

/// <summary>A resource a run created, as compensation needs it.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Id">Its full resource id.</param>
public sealed record CreatedResource(CreatedResourceKind Kind, string Id);
