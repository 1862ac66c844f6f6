using Microsoft.DurableTask;

namespace Provisioning.Orchestrations;

/// <summary>
/// Provisions a workload that pulls from a registry with a managed identity: checks the registries, ensures the
/// identity, grants the pull role (waiting out principal replication), and runs the workload kind's deploy steps, which
/// retry with durable backoff until the grant is effective and the workload is ready. When a step fails for good, or the
/// run receives the <see cref="CancelEventName"/> event, it deletes in reverse order exactly what it created.
/// </summary>
public sealed class ProvisionWorkload : TaskOrchestrator<ProvisioningInput, ProvisioningResult>
{
    /// <summary>The external event that cancels a run and makes it compensate (terminate would stop it without compensation).</summary>
    public const string CancelEventName = "Cancel";

    /// <inheritdoc />
    public override Task<ProvisioningResult> RunAsync(TaskOrchestrationContext context, ProvisioningInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return new ProvisioningRun(context, input).ExecuteAsync();
    }
}
