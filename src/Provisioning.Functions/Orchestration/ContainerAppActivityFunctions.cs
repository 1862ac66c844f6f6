using Microsoft.Azure.Functions.Worker;
using Provisioning.Arm.Resources;
using Provisioning.Workloads.ContainerApps;

namespace Provisioning.Functions.Orchestration;

/// <summary>The activity triggers of the container app workload kind (<see cref="ContainerAppKind"/>).</summary>
public static class ContainerAppActivityFunctions
{
    /// <summary>Runs <see cref="Workloads.ContainerApps.BeginManagedEnvironment"/>.</summary>
    [Function(nameof(Workloads.ContainerApps.BeginManagedEnvironment))]
    public static Task<ManagedEnvironmentStart> BeginManagedEnvironment([ActivityTrigger] ManagedEnvironmentRequest input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.ContainerApps.BeginManagedEnvironment>(context), input, context);

    /// <summary>Runs <see cref="Workloads.ContainerApps.BeginContainerAppDeployment"/>.</summary>
    [Function(nameof(Workloads.ContainerApps.BeginContainerAppDeployment))]
    public static Task<ContainerAppStart> BeginContainerAppDeployment([ActivityTrigger] ContainerAppRequest input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.ContainerApps.BeginContainerAppDeployment>(context), input, context);

    /// <summary>Runs <see cref="Workloads.ContainerApps.GetContainerAppStatus"/>.</summary>
    [Function(nameof(Workloads.ContainerApps.GetContainerAppStatus))]
    public static Task<ContainerAppStatus> GetContainerAppStatus([ActivityTrigger] ArmResourceId input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.ContainerApps.GetContainerAppStatus>(context), input, context);
}
