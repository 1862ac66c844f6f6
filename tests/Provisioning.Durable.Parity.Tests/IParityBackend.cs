using Microsoft.DurableTask;

namespace Provisioning.Durable.Parity.Tests;

/// <summary>A Durable Task backend the parity suite can run against.</summary>
public interface IParityBackend
{
    /// <summary>What the backend supports where backends are allowed to differ.</summary>
    BackendCapabilities Capabilities { get; }

    /// <summary>Starts a fresh backend (empty state) with the given orchestrators and activities registered.</summary>
    Task<ParityHost> StartAsync(Action<DurableTaskRegistry> tasks);
}

/// <summary>
/// Behaviours a test asserts only when the backend claims them; when it does not, the test asserts the documented
/// alternative instead. Everything not listed here is asserted identically on every backend.
/// </summary>
public sealed record BackendCapabilities
{
    /// <summary><c>DurableTaskClient.RestartAsync</c> works (same and new instance id); otherwise it throws <see cref="NotSupportedException"/>.</summary>
    public bool SupportsRestart { get; init; }

    /// <summary>An orchestrator that schedules different work on replay fails with a non-determinism error; otherwise it runs on.</summary>
    public bool DetectsNonDeterminism { get; init; }

    /// <summary>
    /// Events buffered when an orchestration calls <c>ContinueAsNew(input, preserveUnprocessedEvents: true)</c> reach the
    /// next generation; otherwise they are lost. InProcessTestHost 0.2.3-preview.1 loses them (see README.md).
    /// </summary>
    public bool PreservesUnprocessedEventsOnContinueAsNew { get; init; }

    /// <summary>
    /// Instance queries leave inputs, outputs and custom status out unless <c>FetchInputsAndOutputs</c> is set;
    /// otherwise they always include them. InProcessTestHost 0.2.3-preview.1 always includes them.
    /// </summary>
    public bool QueriesHonorFetchInputsAndOutputs { get; init; }
}
