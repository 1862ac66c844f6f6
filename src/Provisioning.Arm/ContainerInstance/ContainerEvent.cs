namespace Provisioning.Arm.ContainerInstance;

/// <summary>An instance-view event of a container or group (e.g. <c>Pulling</c>, <c>Failed</c>, <c>BackOff</c>).</summary>
/// <param name="Name">The event name.</param>
/// <param name="Message">The message, e.g. "Failed to pull image …".</param>
/// <param name="Type">Normal or Warning.</param>
/// <param name="Count">How often it occurred.</param>
/// <param name="FirstTimestamp">First occurrence.</param>
/// <param name="LastTimestamp">Last occurrence.</param>
public sealed record ContainerEvent(string Name, string Message, string? Type, int Count, DateTimeOffset? FirstTimestamp, DateTimeOffset? LastTimestamp);
