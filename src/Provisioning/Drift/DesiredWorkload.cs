using Provisioning.Orchestrations;

namespace Provisioning.Drift;

/// <summary>A workload's desired state: the input and output of its latest successful run.</summary>
/// <param name="RunId">That run's instance id.</param>
/// <param name="Input">What it provisioned (the bound template, secrets encrypted).</param>
/// <param name="Result">What it reported: the principal granted, the role assignments.</param>
/// <param name="CompletedAt">When it completed.</param>
public sealed record DesiredWorkload(string RunId, ProvisioningInput Input, ProvisioningResult Result, DateTimeOffset CompletedAt)
{
    /// <summary>The workload's resource id as text.</summary>
    public string WorkloadId => Input.Template.Workload.ResourceId.ToString();
}
