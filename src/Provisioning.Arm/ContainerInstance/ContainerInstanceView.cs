namespace Provisioning.Arm.ContainerInstance;

/// <summary>A container of a running group: what it runs and how it is doing.</summary>
/// <param name="Name">The container name.</param>
/// <param name="Image">The image.</param>
/// <param name="CurrentState">The current state, if reported.</param>
/// <param name="RestartCount">How often it restarted.</param>
/// <param name="Events">Its events.</param>
public sealed record ContainerInstanceView(string Name, string Image, ContainerState? CurrentState, int RestartCount, IReadOnlyList<ContainerEvent> Events);
