namespace Provisioning.Requests;

/// <summary>What a start request came to: the run's instance id, or the problem to answer with.</summary>
/// <param name="InstanceId">The started run's id; null when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why nothing started, or null.</param>
public sealed record StartRunOutcome(string? InstanceId, RequestProblem? Problem);
