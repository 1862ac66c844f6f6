using Microsoft.DurableTask.Client;
using Provisioning.Orchestrations;
using Provisioning.Runs;

namespace Provisioning.Drift;

/// <summary>
/// Reads the desired state from the runs themselves, through <see cref="DurableTaskClient"/> queries (so on every
/// backend): for each workload, the newest completed <see cref="ProvisionWorkload"/> run that deployed (not superseded).
/// Workloads with a run still going are left out: their desired state is being changed.
/// </summary>
public static class DesiredState
{
    /// <summary>The desired workloads, and the ids of those skipped because a run of theirs is going.</summary>
    /// <param name="client">The engine's client.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public static async Task<(IReadOnlyList<DesiredWorkload> Workloads, IReadOnlyList<string> Busy)> ReadAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var newest = new Dictionary<string, DesiredWorkload>(StringComparer.OrdinalIgnoreCase);
        var completed = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Completed], FetchInputsAndOutputs = true, PageSize = 1000 };
        await foreach (var instance in client.GetAllInstancesAsync(completed).WithCancellation(cancellationToken))
        {
            if (instance.Name != nameof(ProvisionWorkload)
                || instance.ReadOutputAs<ProvisioningResult>() is not { SupersededBy: null } result
                || instance.ReadInputAs<ProvisioningInput>() is not { } input)
            {
                continue;
            }

            var desired = new DesiredWorkload(instance.InstanceId, input, result, instance.LastUpdatedAt);
            if (!newest.TryGetValue(desired.WorkloadId, out var known) || known.CompletedAt < desired.CompletedAt)
            {
                newest[desired.WorkloadId] = desired;
            }
        }

        var busy = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var going = new OrchestrationQuery { Statuses = RunStatuses.Going, FetchInputsAndOutputs = true, PageSize = 1000 };
        await foreach (var instance in client.GetAllInstancesAsync(going).WithCancellation(cancellationToken))
        {
            if (instance.Name == nameof(ProvisionWorkload) && instance.ReadInputAs<ProvisioningInput>() is { } input)
            {
                busy.Add(input.Template.Workload.ResourceId.ToString());
            }
        }

        return ([.. newest.Values.Where(workload => !busy.Contains(workload.WorkloadId)).OrderBy(workload => workload.WorkloadId, StringComparer.OrdinalIgnoreCase)],
            [.. busy.Where(newest.ContainsKey).Order(StringComparer.OrdinalIgnoreCase)]);
    }
}
