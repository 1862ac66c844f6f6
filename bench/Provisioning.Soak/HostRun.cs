using System.Text.Json.Nodes;

namespace Provisioning.Soak;

/// <summary>One run as the host's Durable HTTP API lists it.</summary>
/// <param name="InstanceId">The run id.</param>
/// <param name="RuntimeStatus">Pending, Running, Completed, Failed, Terminated or Suspended.</param>
/// <param name="Output">The output (the failure message for a failed run).</param>
/// <param name="CustomStatus">The run's custom status (phase, what it created, compensation).</param>
internal sealed record HostRun(string InstanceId, string RuntimeStatus, JsonNode? Output, JsonNode? CustomStatus)
{
    public bool IsFinished => RuntimeStatus is "Completed" or "Failed" or "Terminated";
}
