using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.ContainerInstance;

/// <summary>The emulated run state of one container: current state and its events.</summary>
internal sealed class ContainerRunState
{
    public string State { get; set; } = "Waiting";

    public string DetailStatus { get; set; } = string.Empty;

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? FinishTime { get; set; }

    public int RestartCount { get; set; }

    public List<JsonObject> Events { get; } = [];
}
