using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>Where an execution stands after an episode.</summary>
/// <param name="Status">Running (also for ContinueAsNew, see <see cref="ContinuesAsNew"/>), Completed or Failed.</param>
internal sealed record EpisodeOutcome(OrchestrationRuntimeStatus Status)
{
    /// <summary>The still-running outcome.</summary>
    public static EpisodeOutcome Running { get; } = new(OrchestrationRuntimeStatus.Running);

    /// <summary>The serialized output of a completed execution.</summary>
    public string? Output { get; init; }

    /// <summary>Why a failed execution failed.</summary>
    public FailureRecord? Failure { get; init; }

    /// <summary>The serialized input of the next generation (ContinuedAsNew).</summary>
    public string? NextInput { get; init; }

    /// <summary>External events carried over to the next generation (ContinuedAsNew).</summary>
    public IReadOnlyList<HistoryEvent> CarriedEvents { get; init; } = [];

    /// <summary>The execution ended with ContinueAsNew: the instance stays Running under a new generation.</summary>
    public bool ContinuesAsNew { get; init; }

    /// <summary>Fails the execution with <paramref name="failure"/>.</summary>
    public static EpisodeOutcome Failed(FailureRecord failure) => new(OrchestrationRuntimeStatus.Failed) { Failure = failure };
}
