namespace Provisioning.Drift;

/// <summary>What became of one drifted workload.</summary>
/// <param name="WorkloadId">The workload.</param>
/// <param name="Template">Its template.</param>
/// <param name="SourceRunId">The run whose input the repair runs again.</param>
/// <param name="Status"><c>Reported</c> (policy report), <c>DryRun</c>, <c>Pending</c>, <c>Started</c>, <c>Completed</c>, <c>Failed</c> or <c>TimedOut</c>.</param>
/// <param name="RunId">The repair run; null when none started.</param>
/// <param name="Failure">Why the repair failed; null otherwise.</param>
public sealed record DriftRepair(string WorkloadId, string Template, string SourceRunId, string Status, string? RunId = null, string? Failure = null)
{
    /// <summary>Status of a drifted workload whose template's policy is <see cref="DriftPolicy.Report"/>.</summary>
    public const string Reported = "Reported";

    /// <summary>Status in a dry run.</summary>
    public const string DryRun = "DryRun";

    /// <summary>Status of a repair about to start.</summary>
    public const string Pending = "Pending";

    /// <summary>Status of a repair run going.</summary>
    public const string Started = "Started";

    /// <summary>Status of a repair run that completed.</summary>
    public const string Completed = "Completed";

    /// <summary>Status of a repair that failed to start or whose run failed.</summary>
    public const string Failed = "Failed";

    /// <summary>Status of a repair run still going at the drift run's deadline.</summary>
    public const string TimedOut = "TimedOut";
}
