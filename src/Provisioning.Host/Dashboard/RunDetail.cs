using System.Text.Json.Nodes;

namespace Provisioning.Host.Dashboard;

/// <summary>One run's page.</summary>
/// <param name="Run">The row of the list.</param>
/// <param name="Input">The input: the bound template (and its lane).</param>
/// <param name="CustomStatus">The product's status: phase, attempt, next retry, waits, created resources, compensation.</param>
/// <param name="Output">The result of a completed run (with the time spent per phase).</param>
/// <param name="Failure">Why a failed run failed, or why a terminated one was stopped.</param>
/// <param name="CauseTime">For a lane run: the time of the event (or request) its id was made from.</param>
/// <param name="Timeline">The steps and waits, from its history.</param>
/// <param name="ArmCalls">The HTTP calls its activities made while this host ran (see <see cref="ArmCallLog"/>).</param>
/// <param name="CauseEvent">In the sandbox: the emulator's event that started the run, when an event did.</param>
public sealed record RunDetail(
    RunSummary Run,
    JsonNode? Input,
    JsonNode? CustomStatus,
    JsonNode? Output,
    string? Failure,
    DateTimeOffset? CauseTime,
    IReadOnlyList<TimelineStep> Timeline,
    IReadOnlyList<ArmCall> ArmCalls,
    JsonObject? CauseEvent);
