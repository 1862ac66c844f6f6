using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>Reads a task run's status, as ACR reports it.</summary>
public sealed class GetRegistryTaskRun(ProvisioningArmClient arm) : ArmActivity<RegistryTaskRunRequest, RegistryTaskRunState>(arm)
{
    /// <inheritdoc />
    protected override async Task<RegistryTaskRunState> ExecuteAsync(RegistryTaskRunRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var run = await Arm.RegistryTasks.GetRunAsync(ArmResourceId.Parse(input.RegistryId), input.RunId, cancellationToken)
            ?? throw new InvalidOperationException($"The run '{input.RunId}' of the registry '{input.RegistryId}' does not exist.");
        return RegistryTaskRunState.Of(run);
    }
}

/// <summary>Which run to read.</summary>
/// <param name="RegistryId">The registry's resource id.</param>
/// <param name="RunId">The run id.</param>
public sealed record RegistryTaskRunRequest(string RegistryId, string RunId);
