using System.Net;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>
/// A long-running operation. Mutated only under the store lock. Its completion runs once, when due.
/// </summary>
internal sealed class ArmOperation
{
    public required string Id { get; init; }

    public required string SubscriptionId { get; init; }

    public required string Namespace { get; init; }

    public required string Location { get; init; }

    public required string ResourceId { get; init; }

    /// <summary>PUT, DELETE or POST.</summary>
    public required string Method { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset DueTime { get; init; }

    /// <summary>Applies the outcome to the store; returns null on success or the failure.</summary>
    public required Func<ArmError?> Complete { get; init; }

    public string Status { get; set; } = "InProgress";

    public ArmError? Error { get; set; }

    public HttpStatusCode ErrorStatus { get; set; } = HttpStatusCode.InternalServerError;

    public DateTimeOffset? EndTime { get; set; }

    public ITimer? Timer { get; set; }

    public bool IsDone => Status != "InProgress";
}
