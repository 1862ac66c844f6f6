using Microsoft.Azure.Functions.Worker;
using Provisioning.Arm.Resources;
using Provisioning.Workloads.ContainerGroups;

namespace Provisioning.Functions.Orchestration;

/// <summary>The activity triggers of the container group workload kind (<see cref="ContainerGroupKind"/>).</summary>
public static class ContainerGroupActivityFunctions
{
    /// <summary>Runs <see cref="Workloads.ContainerGroups.BeginContainerGroupDeployment"/>.</summary>
    [Function(nameof(Workloads.ContainerGroups.BeginContainerGroupDeployment))]
    public static Task<DeploymentStart> BeginContainerGroupDeployment([ActivityTrigger] DeploymentRequest input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.ContainerGroups.BeginContainerGroupDeployment>(context), input, context);

    /// <summary>Runs <see cref="Workloads.ContainerGroups.PollContainerGroupDeployment"/>.</summary>
    [Function(nameof(Workloads.ContainerGroups.PollContainerGroupDeployment))]
    public static Task<Activities.OperationPoll> PollContainerGroupDeployment([ActivityTrigger] string input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.ContainerGroups.PollContainerGroupDeployment>(context), input, context);

    /// <summary>Runs <see cref="Workloads.ContainerGroups.RestartContainerGroup"/>.</summary>
    [Function(nameof(Workloads.ContainerGroups.RestartContainerGroup))]
    public static Task<string?> RestartContainerGroup([ActivityTrigger] ArmResourceId input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.ContainerGroups.RestartContainerGroup>(context), input, context);

    /// <summary>Runs <see cref="Workloads.ContainerGroups.GetContainerGroupStatus"/>.</summary>
    [Function(nameof(Workloads.ContainerGroups.GetContainerGroupStatus))]
    public static Task<ContainerGroupStatus> GetContainerGroupStatus([ActivityTrigger] ArmResourceId input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.ContainerGroups.GetContainerGroupStatus>(context), input, context);
}
