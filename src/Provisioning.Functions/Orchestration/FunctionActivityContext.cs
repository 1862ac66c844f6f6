using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Provisioning.Functions.Orchestration;

/// <summary>The <see cref="TaskActivityContext"/> a domain activity gets when an activity trigger runs it: the activity's name and the calling run's id.</summary>
internal sealed class FunctionActivityContext(FunctionContext context) : TaskActivityContext
{
    /// <inheritdoc />
    public override TaskName Name { get; } = context.FunctionDefinition.Name;

    /// <inheritdoc />
    public override string InstanceId { get; } =
        context.BindingContext.BindingData.TryGetValue("instanceId", out var id) && id is not null ? id.ToString()! : string.Empty;
}
