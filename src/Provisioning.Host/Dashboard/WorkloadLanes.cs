using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Host.Http;

namespace Provisioning.Host.Dashboard;

/// <summary>
/// <c>GET /dashboard/api/workloads</c>: the lanes, grouped from the run ids (see <c>RunIds.WorkloadPrefix</c>), each with
/// what the last drift run found for its workload and the repair (see <see cref="DashboardDrift"/>); and that drift run.
/// </summary>
internal static class WorkloadLanes
{
    // The page reads the store's instances to group them; a bound keeps one request cheap on a store with a long past
    // (purge finished runs to keep it short). The answer says when it stopped early.
    private const int MaxInstances = 5000;

    public static async Task<IResult> ListAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var byLane = new Dictionary<string, List<(RunSummary Row, OrchestrationMetadata Metadata)>>(StringComparer.Ordinal);
        var read = 0;
        var query = new OrchestrationQuery(PageSize: 500, FetchInputsAndOutputs: true);
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (++read > MaxInstances)
            {
                break;
            }

            var row = RunSummary.From(instance);
            if (row.Lane is { } lane)
            {
                if (!byLane.TryGetValue(lane, out var runs))
                {
                    byLane[lane] = runs = [];
                }

                runs.Add((row, instance));
            }
        }

        var drift = await DashboardDrift.ReadAsync(client, byLane.Keys.ToHashSet(StringComparer.Ordinal), cancellationToken);
        var lanes = byLane.Select(pair => Describe(pair.Key, pair.Value) with { Drift = drift?.ByLane.GetValueOrDefault(pair.Key) })
            .OrderBy(lane => lane.ResourceGroup, StringComparer.Ordinal).ThenBy(lane => lane.Workload, StringComparer.Ordinal).ToList();
        return Results.Json(new { lanes, truncated = read > MaxInstances, drift = drift?.Scan }, DashboardEndpoints.Json);
    }

    private static WorkloadLane Describe(string lane, List<(RunSummary Row, OrchestrationMetadata Metadata)> runs)
    {
        var parts = lane.Split(':');
        // Ids sort in event-time order within a lane, so the newest run has the greatest id.
        var ordered = runs.OrderByDescending(run => run.Row.InstanceId, StringComparer.Ordinal).ToList();
        var current = ordered.FirstOrDefault(run => run.Row.RuntimeStatus == nameof(OrchestrationRuntimeStatus.Completed) && run.Row.Phase == "Succeeded");
        var output = current.Metadata is null ? null : StatusResponsePayload.ParseOrString(current.Metadata.SerializedOutput) as JsonObject;
        var input = current.Metadata is null ? null : StatusResponsePayload.ParseOrString(current.Metadata.SerializedInput) as JsonObject;
        // The workload's ARM body: "body" in the generic workload input, "definition" in the container-group-only one before it.
        var workload = input?["template"]?["workload"];
        var containers = (workload?["body"] ?? workload?["definition"])?["properties"]?["containers"];
        var image = containers?[0]?["properties"]?["image"] ?? containers?[0]?["image"];
        return new WorkloadLane(
            lane,
            parts[1],
            parts[2],
            current.Row,
            image?.GetValue<string>(),
            (output?["workloadId"] ?? output?["containerGroupId"])?.GetValue<string>(),
            runs.Count(run => run.Metadata.RuntimeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended),
            [.. ordered.Select(run => run.Row)]);
    }
}
