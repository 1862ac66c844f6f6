using Provisioning.Arm.Errors;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>The outcome of one poll of a container group operation.</summary>
/// <param name="State">In progress, succeeded, failed or canceled.</param>
/// <param name="Error">ARM's error when failed.</param>
/// <param name="RetryAfter">The delay ARM advised before the next poll, if any.</param>
public sealed record ContainerGroupOperationStatus(ArmOperationState State, ArmError? Error, TimeSpan? RetryAfter)
{
    /// <summary>Whether the operation has finished (succeeded, failed or canceled).</summary>
    public bool IsTerminal => State != ArmOperationState.InProgress;

    /// <summary>What to do about the failure (e.g. <see cref="ArmErrorKind.RetryLater"/> for an image pull not yet authorized), or null.</summary>
    public ArmErrorKind? ErrorKind => Error is null ? null : ArmErrorClassifier.Classify(0, Error);
}
