using Microsoft.Azure.Functions.Worker;
using Provisioning.Workloads.RegistryTasks;

namespace Provisioning.Functions.Orchestration;

/// <summary>The activity triggers of the ACR task workload kind.</summary>
public static class RegistryTaskActivityFunctions
{
    /// <summary>Runs <see cref="Workloads.RegistryTasks.EnsureRegistryTask"/>.</summary>
    [Function(nameof(Workloads.RegistryTasks.EnsureRegistryTask))]
    public static Task<RegistryTaskState> EnsureRegistryTask([ActivityTrigger] RegistryTaskRequest input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.RegistryTasks.EnsureRegistryTask>(context), input, context);

    /// <summary>Runs <see cref="Workloads.RegistryTasks.ScheduleRegistryTaskRun"/>.</summary>
    [Function(nameof(Workloads.RegistryTasks.ScheduleRegistryTaskRun))]
    public static Task<RegistryTaskRunState> ScheduleRegistryTaskRun([ActivityTrigger] string input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.RegistryTasks.ScheduleRegistryTaskRun>(context), input, context);

    /// <summary>Runs <see cref="Workloads.RegistryTasks.GetRegistryTaskRun"/>.</summary>
    [Function(nameof(Workloads.RegistryTasks.GetRegistryTaskRun))]
    public static Task<RegistryTaskRunState> GetRegistryTaskRun([ActivityTrigger] RegistryTaskRunRequest input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.RegistryTasks.GetRegistryTaskRun>(context), input, context);
}
