namespace Provisioning.Drift;

/// <summary>The drift run as <c>GET /api/drift/last</c> answers it on every host.</summary>
/// <param name="InstanceId">Its instance id (always <see cref="DriftRepairNames.InstanceId"/>).</param>
/// <param name="RuntimeStatus">Its runtime status.</param>
/// <param name="Finished">Whether it ended.</param>
/// <param name="Failure">Why it failed, when it did.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="LastUpdatedAt">When it last changed.</param>
/// <param name="Report">Its report: the output once it completed, the report so far (its custom status) while it repairs.</param>
public sealed record DriftLastRun(
    string InstanceId,
    string RuntimeStatus,
    bool Finished,
    string? Failure,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DriftReport? Report);
