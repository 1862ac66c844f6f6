namespace Provisioning.Durable.Client;

/// <summary>Options for starting an orchestration.</summary>
/// <param name="InstanceId">The instance id; <c>null</c> for a new random one. Starting an id that is pending or running
/// is refused with <see cref="OrchestrationAlreadyExistsException"/>; an id that has finished starts afresh.</param>
/// <param name="StartAt">Do not start before this time; <c>null</c> starts at once.</param>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);
