using Microsoft.DurableTask;

namespace Provisioning.Durable.Embedded.Execution;

/// <summary>What an activity sees of the call that runs it.</summary>
/// <param name="name">The activity's name.</param>
/// <param name="instanceId">The orchestration instance that scheduled it.</param>
internal sealed class EmbeddedActivityContext(string name, string instanceId) : TaskActivityContext
{
    /// <inheritdoc />
    public override TaskName Name { get; } = name;

    /// <inheritdoc />
    public override string InstanceId { get; } = instanceId;
}
