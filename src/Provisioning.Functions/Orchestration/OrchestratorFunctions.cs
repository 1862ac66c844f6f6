using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Provisioning.Orchestrations;

namespace Provisioning.Functions.Orchestration;

/// <summary>
/// One orchestration trigger per orchestrator the domain registers (<c>ProvisioningRegistration.Orchestrators</c>), named
/// as the domain schedules it and delegating to the domain class, which runs unchanged on Durable Functions.
/// </summary>
public static class OrchestratorFunctions
{
    /// <summary>Runs <see cref="Orchestrations.ProvisionWorkload"/>.</summary>
    /// <param name="context">The orchestration's context; its input is a <see cref="ProvisioningInput"/>.</param>
    [Function(nameof(Orchestrations.ProvisionWorkload))]
    public static Task<ProvisioningResult> ProvisionWorkload([OrchestrationTrigger] TaskOrchestrationContext context)
        => new Orchestrations.ProvisionWorkload().RunAsync(context, context?.GetInput<ProvisioningInput>()!);
}
