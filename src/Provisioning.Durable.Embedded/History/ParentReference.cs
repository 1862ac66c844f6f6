namespace Provisioning.Durable.Embedded.History;

/// <summary>Where a sub-orchestration reports its outcome.</summary>
/// <param name="Name">The parent's orchestration name.</param>
/// <param name="InstanceId">The parent's instance id.</param>
/// <param name="ExecutionId">The parent's execution, so a parent that has since continued as new ignores the answer.</param>
/// <param name="TaskId">The parent's sequence number for the call.</param>
internal sealed record ParentReference(string Name, string InstanceId, string ExecutionId, int TaskId);
