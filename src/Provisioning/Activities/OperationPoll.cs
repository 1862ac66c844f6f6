using Provisioning.Arm.Operations;

namespace Provisioning.Activities;

/// <summary>One poll of a long-running ARM operation, as the history keeps it.</summary>
/// <param name="State">In progress, succeeded, failed or canceled.</param>
/// <param name="ErrorCode">The failure's code, if it failed.</param>
/// <param name="ErrorMessage">The failure's message, if it failed.</param>
/// <param name="RetryAfter">How long ARM asked to wait before the next poll.</param>
public sealed record OperationPoll(ArmOperationState State, string? ErrorCode, string? ErrorMessage, TimeSpan? RetryAfter)
{
    /// <summary>The poll a status gives.</summary>
    /// <param name="status">The status read.</param>
    public static OperationPoll Of(ArmOperationStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new OperationPoll(status.State, status.Error?.Code, status.Error?.Message, status.RetryAfter);
    }
}
