namespace Provisioning.Drift;

/// <summary>The names the drift-repair timer starts its orchestration under, on every host.</summary>
public static class DriftRepairNames
{
    /// <summary>The drift-repair orchestrator's name (<see cref="RepairDrift"/>, registered by <see cref="DriftRegistration.AddDrift"/>).</summary>
    public const string Orchestrator = "RepairDrift";

    /// <summary>The one instance id drift repair runs under, so that at most one runs at a time.</summary>
    public const string InstanceId = "drift-repair";
}
