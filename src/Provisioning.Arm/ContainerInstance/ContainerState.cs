namespace Provisioning.Arm.ContainerInstance;

/// <summary>A container's current state (<c>Running</c>, <c>Waiting</c>, <c>Terminated</c>).</summary>
/// <param name="State">The state.</param>
/// <param name="DetailStatus">The detail, e.g. <c>ErrImagePull</c>.</param>
/// <param name="ExitCode">The exit code of a terminated container.</param>
/// <param name="StartTime">When the state began.</param>
public sealed record ContainerState(string State, string? DetailStatus, int? ExitCode, DateTimeOffset? StartTime);
