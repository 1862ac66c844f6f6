using Microsoft.DurableTask.Client;

namespace Provisioning.Runs;

/// <summary>
/// The instance statuses the product asks a backend about. Start options name their dedupe statuses explicitly,
/// because what a backend does with an existing id when none are given differs from one backend to the next.
/// </summary>
public static class RunStatuses
{
    /// <summary>A run that is still going: queued, running or suspended.</summary>
    public static IReadOnlyList<OrchestrationRuntimeStatus> Going { get; } =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];

    /// <summary>A run that has ended: completed, failed or terminated.</summary>
    public static IReadOnlyList<OrchestrationRuntimeStatus> Finished { get; } =
        [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];

    /// <summary>Dedupe statuses that refuse an id while its run is going, and let a finished one start afresh.</summary>
    public static IReadOnlyList<string> RefuseWhileGoing { get; } = [.. Going.Select(status => status.ToString())];

    /// <summary>Dedupe statuses that refuse an id that was ever used (one run per event id, whatever became of it).</summary>
    public static IReadOnlyList<string> RefuseAlways { get; } = [.. Going.Concat(Finished).Select(status => status.ToString())];

    /// <summary>True when <paramref name="status"/> is one of <see cref="Finished"/>.</summary>
    public static bool IsFinished(this OrchestrationRuntimeStatus status) => Finished.Contains(status);
}
