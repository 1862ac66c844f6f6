namespace Provisioning.Drift;

/// <summary>The names the drift-repair timer starts its orchestration under, on every host.</summary>
public static class DriftRepairNames
{
    /// <summary>The drift-repair orchestrator's name. Until drift repair is built, no host registers it: a tick's run fails at once and the next tick tries again.</summary>
    public const string Orchestrator = "RepairDrift";

    /// <summary>The one instance id drift repair runs under, so that at most one runs at a time.</summary>
    public const string InstanceId = "drift-repair";
}
