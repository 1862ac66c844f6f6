using System.Net;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary><c>Microsoft.ContainerRegistry/registries/runs</c>: GET, list, and <c>cancel</c>.</summary>
internal sealed class RunHandler(EmulatorContext context, RunScheduler scheduler) : ResourceTypeHandler(context)
{
    public override string ResourceType => RunScheduler.RunType;


    public override ArmResponse Action(ArmRequest request, string action)
    {
        if (request.Method != "POST" || !action.Equals("cancel", StringComparison.OrdinalIgnoreCase))
        {
            throw MethodNotAllowed(request);
        }

        var run = Find(request) ?? throw NotFound(request);
        return scheduler.Cancel(run);
    }

    public override ArmResponse Delete(ArmRequest request) =>
        throw new ArmException(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "The requested resource does not support http method 'DELETE'.");
}
