namespace Provisioning.Drift;

/// <summary>What a drift scan does with a template's drifted workloads (the template's <c>drift</c> field).</summary>
public enum DriftPolicy
{
    /// <summary>Report the drift and start the workload's provisioning again in its lane (the default).</summary>
    Repair,

    /// <summary>Report the drift only; nothing is started.</summary>
    Report,
}
