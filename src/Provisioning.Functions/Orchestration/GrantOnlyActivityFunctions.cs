using Microsoft.Azure.Functions.Worker;
using Provisioning.Workloads;
using Provisioning.Workloads.GrantOnly;

namespace Provisioning.Functions.Orchestration;

/// <summary>The activity triggers of the grant-only workload kinds (a VM's identity, an existing identity).</summary>
public static class GrantOnlyActivityFunctions
{
    /// <summary>Runs <see cref="Workloads.GrantOnly.ResolveGrantPrincipal"/>.</summary>
    [Function(nameof(Workloads.GrantOnly.ResolveGrantPrincipal))]
    public static Task<GrantPrincipal> ResolveGrantPrincipal([ActivityTrigger] ResolvedWorkload input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.GrantOnly.ResolveGrantPrincipal>(context), input, context);

    /// <summary>Runs <see cref="Workloads.GrantOnly.ListPrincipalAssignments"/>.</summary>
    [Function(nameof(Workloads.GrantOnly.ListPrincipalAssignments))]
    public static Task<IReadOnlyList<string>> ListPrincipalAssignments([ActivityTrigger] PrincipalAssignmentsRequest input, FunctionContext context)
        => ActivityFunctions.Run(ActivityFunctions.Create<Workloads.GrantOnly.ListPrincipalAssignments>(context), input, context);
}
