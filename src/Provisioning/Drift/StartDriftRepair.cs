using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Provisioning.Orchestrations;
using Provisioning.Runs;

namespace Provisioning.Drift;

/// <summary>
/// Starts a drifted workload's provisioning again: the same <see cref="ProvisionWorkload"/> orchestration with the
/// source run's stored input (template, parameters, timings; secrets still encrypted) in the workload's lane, so it takes
/// turns with event- and request-started runs and compensates as any run does. No ad-hoc fix.
/// </summary>
public sealed class StartDriftRepair(DurableTaskClient client) : TaskActivity<DriftRepairStart, string>
{
    /// <inheritdoc />
    public override async Task<string> RunAsync(TaskActivityContext context, DriftRepairStart input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var source = await client.GetInstanceAsync(input.SourceRunId, getInputsAndOutputs: true)
            ?? throw new InvalidOperationException($"The run {input.SourceRunId} whose input the repair runs again no longer exists (purged?).");
        var original = source.ReadInputAs<ProvisioningInput>()
            ?? throw new InvalidOperationException($"The run {input.SourceRunId} has no input to run again.");
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ProvisionWorkload),
                original with { Lane = new DeploymentLane(input.LanePrefix, input.Time) },
                new StartOrchestrationOptions(input.RunId) { DedupeStatuses = RunStatuses.RefuseAlways });
        }
        catch (OrchestrationAlreadyExistsException)
        {
            // A retry of this activity: the first attempt started it.
        }

        return input.RunId;
    }
}
