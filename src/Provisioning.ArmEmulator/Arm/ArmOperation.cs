using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>
/// A long-running operation. Mutated only under the store lock. Its completion runs once, when due: the completion
/// registered for its <see cref="Kind"/>, given the operation (and so its <see cref="Args"/>). Being plain data, a
/// pending operation is saved and completes after a restart at its due time.
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

    /// <summary>Which registered completion applies the outcome (e.g. <c>containerGroups.provision</c>).</summary>
    public required string Kind { get; init; }

    /// <summary>What the completion needs besides the resource id (read only; saved with the operation).</summary>
    public JsonObject Args { get; init; } = [];

    /// <summary>Ends only when its provider says so (no due time).</summary>
    public bool IsManual { get; init; }

    public string Status { get; set; } = "InProgress";

    public ArmError? Error { get; set; }

    public HttpStatusCode ErrorStatus { get; set; } = HttpStatusCode.InternalServerError;

    public DateTimeOffset? EndTime { get; set; }

    public ITimer? Timer { get; set; }

    public bool IsDone => Status != "InProgress";

    /// <summary>A string argument.</summary>
    public string? Arg(string name) => (string?)Args[name];

    /// <summary>A boolean argument (false when absent).</summary>
    public bool Flag(string name) => (bool?)Args[name] ?? false;
}
