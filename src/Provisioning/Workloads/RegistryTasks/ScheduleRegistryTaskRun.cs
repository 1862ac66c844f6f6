using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>Schedules a run of the task (<c>scheduleRun</c> with a <c>TaskRunRequest</c>); the run id goes into the history.</summary>
public sealed class ScheduleRegistryTaskRun(ProvisioningArmClient arm) : ArmActivity<string, RegistryTaskRunState>(arm)
{
    /// <inheritdoc />
    protected override async Task<RegistryTaskRunState> ExecuteAsync(string input, CancellationToken cancellationToken) =>
        RegistryTaskRunState.Of(await Arm.RegistryTasks.ScheduleRunAsync(ArmResourceId.Parse(input), cancellationToken));
}
