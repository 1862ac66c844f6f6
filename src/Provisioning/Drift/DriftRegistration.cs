using Microsoft.DurableTask;

namespace Provisioning.Drift;

/// <summary>The drift run's orchestrator and activities, registered by class name beside the provisioning ones.</summary>
public static class DriftRegistration
{
    /// <summary>The drift orchestrator (named <see cref="DriftRepairNames.Orchestrator"/>).</summary>
    public static IReadOnlyList<Type> Orchestrators { get; } = [typeof(RepairDrift)];

    /// <summary>Its activities.</summary>
    public static IReadOnlyList<Type> Activities { get; } = [typeof(ScanDrift), typeof(StartDriftRepair), typeof(GetDriftRepairRuns)];

    /// <summary>Adds <see cref="Orchestrators"/> and <see cref="Activities"/>.</summary>
    public static DurableTaskRegistry AddDrift(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (var activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }
}
