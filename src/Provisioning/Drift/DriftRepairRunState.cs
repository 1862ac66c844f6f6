namespace Provisioning.Drift;

/// <summary>Where a repair run is.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Finished">Whether it ended.</param>
/// <param name="Succeeded">Whether it completed.</param>
/// <param name="Failure">Its failure message when it failed or was terminated.</param>
public sealed record DriftRepairRunState(string RunId, bool Finished, bool Succeeded, string? Failure);
