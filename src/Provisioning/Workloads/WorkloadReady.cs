using System.Text.Json.Nodes;

namespace Provisioning.Workloads;

/// <summary>What proved the workload ready, for the run's status and output.</summary>
/// <param name="Message">One line for the status, e.g. "The container group is running."</param>
/// <param name="Attempts">How many deployments it took (more than one when a grant was still propagating).</param>
/// <param name="Outputs">What the kind reports (ACI: <c>ipAddress</c>, <c>fqdn</c>; ACR Task: <c>runId</c>, <c>status</c>, <c>outputImages</c>…).</param>
/// <param name="PrincipalId">The system-assigned principal the run granted, if the workload used one.</param>
public sealed record WorkloadReady(string Message, int Attempts, JsonObject Outputs, string? PrincipalId = null);
