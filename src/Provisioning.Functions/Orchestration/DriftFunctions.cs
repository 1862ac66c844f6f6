using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Provisioning.Drift;

namespace Provisioning.Functions.Orchestration;

/// <summary>
/// The drift run's orchestration and activity triggers (<see cref="DriftRegistration"/>), which the drift timer
/// (<see cref="Timers.DriftRepairFunction"/>) starts under its fixed instance id. The activities that query or start runs get
/// the invocation's <see cref="DurableTaskClient"/>, as Durable Functions binds it per invocation.
/// </summary>
public static class DriftFunctions
{
    /// <summary>Runs <see cref="Drift.RepairDrift"/>.</summary>
    /// <param name="context">The orchestration's context; its input is a <see cref="DriftRequest"/> or null.</param>
    [Function(nameof(Drift.RepairDrift))]
    public static Task<DriftReport> RepairDrift([OrchestrationTrigger] TaskOrchestrationContext context)
        => new Drift.RepairDrift().RunAsync(context, context?.GetInput<DriftRequest?>());

    /// <summary>Runs <see cref="Drift.ScanDrift"/>.</summary>
    [Function(nameof(Drift.ScanDrift))]
    public static Task<DriftReport> ScanDrift([ActivityTrigger] bool input, [DurableClient] DurableTaskClient client, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Drift.ScanDrift>(context, client), input, context);

    /// <summary>Runs <see cref="Drift.StartDriftRepair"/>.</summary>
    [Function(nameof(Drift.StartDriftRepair))]
    public static Task<string> StartDriftRepair([ActivityTrigger] DriftRepairStart input, [DurableClient] DurableTaskClient client, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Drift.StartDriftRepair>(context, client), input, context);

    /// <summary>Runs <see cref="Drift.GetDriftRepairRuns"/>.</summary>
    [Function(nameof(Drift.GetDriftRepairRuns))]
    public static Task<IReadOnlyList<DriftRepairRunState>> GetDriftRepairRuns([ActivityTrigger] IReadOnlyList<string> input, [DurableClient] DurableTaskClient client, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Drift.GetDriftRepairRuns>(context, client), input, context);
}
