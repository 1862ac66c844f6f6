using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Provisioning.Runs;

namespace Provisioning.Drift;

/// <summary>Reads where each repair run is.</summary>
public sealed class GetDriftRepairRuns(DurableTaskClient client) : TaskActivity<IReadOnlyList<string>, IReadOnlyList<DriftRepairRunState>>
{
    /// <inheritdoc />
    public override async Task<IReadOnlyList<DriftRepairRunState>> RunAsync(TaskActivityContext context, IReadOnlyList<string> input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var states = new List<DriftRepairRunState>();
        foreach (var id in input)
        {
            var run = await client.GetInstanceAsync(id, getInputsAndOutputs: false);
            if (run is null)
            {
                states.Add(new DriftRepairRunState(id, Finished: true, Succeeded: false, "the repair run does not exist"));
                continue;
            }

            var finished = run.RuntimeStatus.IsFinished();
            var succeeded = run.RuntimeStatus == OrchestrationRuntimeStatus.Completed;
            states.Add(new DriftRepairRunState(id, finished, succeeded, finished && !succeeded ? run.FailureDetails?.ErrorMessage ?? run.RuntimeStatus.ToString() : null));
        }

        return states;
    }
}
