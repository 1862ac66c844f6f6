namespace Provisioning.Durable.Embedded.Storage;

/// <summary>A leased instance and the messages visible to it: the input of one orchestration episode.</summary>
/// <param name="Instance">The instance state at lease time.</param>
/// <param name="Messages">The visible messages, oldest first.</param>
internal sealed record OrchestrationWorkItem(InstanceRecord Instance, IReadOnlyList<OrchestrationMessage> Messages);
