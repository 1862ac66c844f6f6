using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>What the engine asks of a runtime status.</summary>
internal static class RuntimeStatusExtensions
{
    /// <summary>True for the statuses an instance never leaves by itself: completed, failed, terminated.</summary>
    public static bool IsTerminal(this OrchestrationRuntimeStatus status)
        => status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
}
