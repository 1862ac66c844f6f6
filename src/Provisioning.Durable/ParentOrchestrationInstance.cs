namespace Provisioning.Durable;

/// <summary>The orchestration that started a sub-orchestration.</summary>
/// <param name="Name">The parent's registered name.</param>
/// <param name="InstanceId">The parent's instance id.</param>
public sealed record ParentOrchestrationInstance(string Name, string InstanceId);
