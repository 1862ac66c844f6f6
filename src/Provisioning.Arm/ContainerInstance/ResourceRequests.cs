using System.Text.Json.Nodes;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>The CPU cores and memory a container requests.</summary>
/// <param name="Cpu">CPU cores, e.g. 1 or 0.5.</param>
/// <param name="MemoryInGB">Memory in GB, e.g. 1.5.</param>
public sealed record ResourceRequests(double Cpu, double MemoryInGB)
{
    internal JsonObject ToArmJson() => new() { ["cpu"] = Cpu, ["memoryInGB"] = MemoryInGB };
}
