using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Functions.Tests;

/// <summary>A Durable client whose every call fails unexpectedly, with a message that must not reach a caller.</summary>
internal sealed class ThrowingDurableClient() : DurableTaskClient("throwing")
{
    public const string Secret = "internal-detail-that-must-not-leak";

    private static InvalidOperationException Boom() => new(Secret);

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => throw Boom();

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw Boom();

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw Boom();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw Boom();

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) => throw Boom();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw Boom();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw Boom();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw Boom();
}
