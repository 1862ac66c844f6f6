using Provisioning.Arm.Errors;

namespace Provisioning.Arm.Operations;

/// <summary>The outcome of one poll of a long-running ARM operation.</summary>
/// <param name="State">In progress, succeeded, failed or canceled.</param>
/// <param name="Error">ARM's error when failed.</param>
/// <param name="RetryAfter">The delay ARM advised before the next poll, if any.</param>
public sealed record ArmOperationStatus(ArmOperationState State, ArmError? Error, TimeSpan? RetryAfter)
{
    /// <summary>Whether the operation has finished (succeeded, failed or canceled).</summary>
    public bool IsTerminal => State != ArmOperationState.InProgress;

    /// <summary>What to do about the failure (e.g. <see cref="ArmErrorKind.RetryLater"/> for an image pull not yet authorized), or null.</summary>
    public ArmErrorKind? ErrorKind => Error is null ? null : ArmErrorClassifier.Classify(0, Error);

    /// <summary>The body of the status resource or of the resource read, for what a type reports beyond the state (ACI's <c>properties.events</c>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public System.Text.Json.Nodes.JsonObject? Body { get; init; }
}
