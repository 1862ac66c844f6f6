using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Activities;

namespace Provisioning.Functions.Orchestration;

/// <summary>
/// One activity trigger per activity the run itself registers (<c>ProvisioningRegistration.Activities</c>; each workload
/// kind's are in its own file beside this one), named as the orchestrations call it. Each makes the domain activity with the app's services (the ARM client, the clock) and runs it;
/// <see cref="Activities.CheckLaneTurn"/> also gets the invocation's <see cref="DurableTaskClient"/>, which Durable
/// Functions binds per invocation rather than registering in the container.
/// </summary>
public static class ActivityFunctions
{
    /// <summary>Runs <see cref="Activities.CheckLaneTurn"/>.</summary>
    [Function(nameof(Activities.CheckLaneTurn))]
    public static Task<LaneTurn> CheckLaneTurn([ActivityTrigger] LaneTurnRequest input, [DurableClient] DurableTaskClient client, FunctionContext context)
        => Run(Create<Activities.CheckLaneTurn>(context, client), input, context);

    /// <summary>Runs <see cref="Activities.CheckRegistryPrerequisites"/>.</summary>
    [Function(nameof(Activities.CheckRegistryPrerequisites))]
    public static Task<RegistryCheckResult> CheckRegistryPrerequisites([ActivityTrigger] RegistryCheckRequest input, FunctionContext context)
        => Run(Create<Activities.CheckRegistryPrerequisites>(context), input, context);

    /// <summary>Runs <see cref="Activities.EnsureIdentity"/>.</summary>
    [Function(nameof(Activities.EnsureIdentity))]
    public static Task<IdentityResult> EnsureIdentity([ActivityTrigger] EnsureIdentityRequest input, FunctionContext context)
        => Run(Create<Activities.EnsureIdentity>(context), input, context);

    /// <summary>Runs <see cref="Activities.FindRoleAssignment"/>.</summary>
    [Function(nameof(Activities.FindRoleAssignment))]
    public static Task<bool> FindRoleAssignment([ActivityTrigger] RoleAssignmentRequest input, FunctionContext context)
        => Run(Create<Activities.FindRoleAssignment>(context), input, context);

    /// <summary>Runs <see cref="Activities.EnsureRoleAssignment"/>.</summary>
    [Function(nameof(Activities.EnsureRoleAssignment))]
    public static Task<RoleAssignmentResult> EnsureRoleAssignment([ActivityTrigger] RoleAssignmentRequest input, FunctionContext context)
        => Run(Create<Activities.EnsureRoleAssignment>(context), input, context);

    /// <summary>Runs <see cref="Activities.PollArmOperation"/>.</summary>
    [Function(nameof(Activities.PollArmOperation))]
    public static Task<OperationPoll> PollArmOperation([ActivityTrigger] string input, FunctionContext context)
        => Run(Create<Activities.PollArmOperation>(context), input, context);

    /// <summary>Runs <see cref="Activities.DeleteResource"/>.</summary>
    [Function(nameof(Activities.DeleteResource))]
    public static Task<bool> DeleteResource([ActivityTrigger] CreatedResource input, FunctionContext context)
        => Run(Create<Activities.DeleteResource>(context), input, context);

    internal static TActivity Create<TActivity>(FunctionContext context, params object[] invocationServices)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ActivatorUtilities.CreateInstance<TActivity>(context.InstanceServices, invocationServices);
    }

    internal static Task<TOutput> Run<TInput, TOutput>(TaskActivity<TInput, TOutput> activity, TInput input, FunctionContext context)
        => activity.RunAsync(new FunctionActivityContext(context), input);
}
