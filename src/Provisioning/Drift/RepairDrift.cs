using Microsoft.DurableTask;
using Provisioning.Rules;

namespace Provisioning.Drift;

/// <summary>
/// The drift run, under the one instance id <see cref="DriftRepairNames.InstanceId"/>: scan, then start each drifted
/// workload's provisioning again in its lane (templates whose policy is <see cref="DriftPolicy.Report"/> are only
/// reported), follow the repair runs with durable timers until they end or the deadline passes, and report each one —
/// failed repairs with their reason. The custom status holds the report so far.
/// </summary>
public sealed class RepairDrift : TaskOrchestrator<DriftRequest?, DriftReport>
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public override async Task<DriftReport> RunAsync(TaskOrchestrationContext context, DriftRequest? input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = input ?? new DriftRequest();
        var report = await context.CallActivityAsync<DriftReport>(nameof(ScanDrift), request.DryRun);
        context.SetCustomStatus(report);
        var repairs = report.Repairs.ToList();
        for (var i = 0; i < repairs.Count; i++)
        {
            if (repairs[i].Status != DriftRepair.Pending)
            {
                continue;
            }

            var workload = Arm.Resources.ArmResourceId.Parse(repairs[i].WorkloadId);
            var time = context.CurrentUtcDateTime;
            var runId = RunIds.ForRequest(workload.SubscriptionId, workload.ResourceGroupName!, workload.Name, time, context.NewGuid());
            var prefix = RunIds.WorkloadPrefix(workload.SubscriptionId, workload.ResourceGroupName!, workload.Name);
            try
            {
                await context.CallActivityAsync<string>(nameof(StartDriftRepair), new DriftRepairStart(repairs[i].SourceRunId, runId, prefix, time));
                repairs[i] = repairs[i] with { Status = DriftRepair.Started, RunId = runId };
            }
            catch (TaskFailedException failed)
            {
                repairs[i] = repairs[i] with { Status = DriftRepair.Failed, Failure = failed.FailureDetails.ErrorMessage };
            }
        }

        report = report with { Repairs = repairs };
        context.SetCustomStatus(report);
        var deadline = context.CurrentUtcDateTime + (request.RepairTimeout ?? DefaultTimeout);
        while (repairs.Any(repair => repair.Status == DriftRepair.Started))
        {
            if (context.CurrentUtcDateTime >= deadline)
            {
                repairs = [.. repairs.Select(repair => repair.Status == DriftRepair.Started ? repair with { Status = DriftRepair.TimedOut } : repair)];
                break;
            }

            await context.CreateTimer(request.PollInterval ?? DefaultPoll, CancellationToken.None);
            var going = repairs.Where(repair => repair.Status == DriftRepair.Started).Select(repair => repair.RunId!).ToList();
            var states = (await context.CallActivityAsync<IReadOnlyList<DriftRepairRunState>>(nameof(GetDriftRepairRuns), going)).ToDictionary(state => state.RunId);
            repairs = [.. repairs.Select(repair => repair.RunId is { } id && repair.Status == DriftRepair.Started && states.TryGetValue(id, out var state) && state.Finished
                ? repair with { Status = state.Succeeded ? DriftRepair.Completed : DriftRepair.Failed, Failure = state.Failure }
                : repair)];
            report = report with { Repairs = repairs };
            context.SetCustomStatus(report);
        }

        return report with { Repairs = repairs };
    }
}
