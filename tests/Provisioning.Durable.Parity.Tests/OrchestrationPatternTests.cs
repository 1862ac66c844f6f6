using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Parity.Tests;

/// <summary>
/// Orchestration patterns asserted the same way on every backend. Each test starts its own backend, so
/// orchestrator and activity names only need to be unique within a test. The patterns live in the partial files.
/// </summary>
public abstract partial class OrchestrationPatternTests(IParityBackend backend)
{
    /// <summary>How long any single wait may take before the test fails.</summary>
    protected static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);

    protected IParityBackend Backend { get; } = backend;

    protected BackendCapabilities Capabilities => Backend.Capabilities;

    protected Task<ParityHost> StartAsync(Action<DurableTaskRegistry> tasks) => Backend.StartAsync(tasks);

    protected static async Task<OrchestrationMetadata> RunAsync(
        ParityHost host, TaskName orchestrator, object? input = null, string? instanceId = null)
    {
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            orchestrator, input, new StartOrchestrationOptions(instanceId));
        return await WaitForCompletionAsync(host, id);
    }

    protected static async Task<OrchestrationMetadata> WaitForCompletionAsync(ParityHost host, string instanceId)
    {
        using var timeout = new CancellationTokenSource(WaitTimeout);
        return await host.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    protected static async Task<OrchestrationMetadata> WaitForStartAsync(ParityHost host, string instanceId)
    {
        using var timeout = new CancellationTokenSource(WaitTimeout);
        return await host.Client.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Polls the instance until <paramref name="condition"/> holds; fails the test after <see cref="WaitTimeout"/>.</summary>
    protected static async Task<OrchestrationMetadata> WaitUntilAsync(
        ParityHost host, string instanceId, Func<OrchestrationMetadata, bool> condition)
    {
        using var timeout = new CancellationTokenSource(WaitTimeout);
        OrchestrationMetadata? last = null;
        while (!timeout.IsCancellationRequested)
        {
            last = await host.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), CancellationToken.None);
        }

        throw new TimeoutException(
            $"Instance '{instanceId}' did not reach the expected state; last seen {last?.RuntimeStatus.ToString() ?? "nothing"}.");
    }

    protected static Task<OrchestrationMetadata> WaitForStatusAsync(
        ParityHost host, string instanceId, OrchestrationRuntimeStatus status) =>
        WaitUntilAsync(host, instanceId, m => m.RuntimeStatus == status);
}
