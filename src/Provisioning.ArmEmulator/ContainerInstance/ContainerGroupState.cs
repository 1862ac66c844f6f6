namespace Provisioning.ArmEmulator.ContainerInstance;

/// <summary>The emulated run state of a container group (mutated under the store lock).</summary>
internal sealed class ContainerGroupState
{
    /// <summary>Identifies this run state: a long-running operation applies only to the state it was started on.</summary>
    public string Generation { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>instanceView.state: Pending, Running, Stopped, Succeeded, Failed.</summary>
    public string State { get; set; } = "Pending";

    public Dictionary<string, ContainerRunState> Containers { get; } = new(StringComparer.Ordinal);
}
