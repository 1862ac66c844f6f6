using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>What one episode produced: the events to append, the new actions to carry out, and the outcome.</summary>
/// <param name="AppendedHistory">OrchestratorStarted, the delivered events, the new actions' events and any end event.</param>
/// <param name="NewActions">Activities, timers and sub-orchestrations to start.</param>
/// <param name="Outcome">The execution's state after the episode.</param>
/// <param name="CustomStatus">The serialized custom status.</param>
internal sealed record EpisodeResult(
    IReadOnlyList<HistoryEvent> AppendedHistory,
    IReadOnlyList<OrchestratorAction> NewActions,
    EpisodeOutcome Outcome,
    string? CustomStatus);
