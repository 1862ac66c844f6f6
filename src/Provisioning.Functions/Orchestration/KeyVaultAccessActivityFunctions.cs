using Microsoft.Azure.Functions.Worker;
using Provisioning.Arm.Resources;
using Provisioning.Workloads.KeyVaultAccess;

namespace Provisioning.Functions.Orchestration;

/// <summary>The activity triggers of a workload's Key Vault access (a container group template's <c>workload.keyVault</c>).</summary>
public static class KeyVaultAccessActivityFunctions
{
    /// <summary>Runs <see cref="Workloads.KeyVaultAccess.ReadKeyVault"/>.</summary>
    [Function(nameof(Workloads.KeyVaultAccess.ReadKeyVault))]
    public static Task<KeyVaultState> ReadKeyVault([ActivityTrigger] ArmResourceId input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.KeyVaultAccess.ReadKeyVault>(context), input, context);

    /// <summary>Runs <see cref="Workloads.KeyVaultAccess.AddKeyVaultAccessPolicy"/>.</summary>
    [Function(nameof(Workloads.KeyVaultAccess.AddKeyVaultAccessPolicy))]
    public static Task<AccessPolicyChange> AddKeyVaultAccessPolicy([ActivityTrigger] AccessPolicyChange input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.KeyVaultAccess.AddKeyVaultAccessPolicy>(context), input, context);

    /// <summary>Runs <see cref="Workloads.KeyVaultAccess.RemoveKeyVaultAccessPolicy"/>.</summary>
    [Function(nameof(Workloads.KeyVaultAccess.RemoveKeyVaultAccessPolicy))]
    public static Task<bool> RemoveKeyVaultAccessPolicy([ActivityTrigger] AccessPolicyChange input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.KeyVaultAccess.RemoveKeyVaultAccessPolicy>(context), input, context);

    /// <summary>Runs <see cref="Workloads.KeyVaultAccess.ReadSystemPrincipal"/>.</summary>
    [Function(nameof(Workloads.KeyVaultAccess.ReadSystemPrincipal))]
    public static Task<string?> ReadSystemPrincipal([ActivityTrigger] ArmResourceId input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.KeyVaultAccess.ReadSystemPrincipal>(context), input, context);
}
