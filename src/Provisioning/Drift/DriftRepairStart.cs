namespace Provisioning.Drift;

/// <summary>Starts a repair: run <paramref name="SourceRunId"/>'s input again as <paramref name="RunId"/> in the lane <paramref name="LanePrefix"/>.</summary>
/// <param name="SourceRunId">The workload's latest successful run.</param>
/// <param name="RunId">The repair run's id (in the workload's lane, chosen by the drift run so that a retried start does not start twice).</param>
/// <param name="LanePrefix">The workload's lane.</param>
/// <param name="Time">The repair's time in the lane.</param>
public sealed record DriftRepairStart(string SourceRunId, string RunId, string LanePrefix, DateTimeOffset Time);
