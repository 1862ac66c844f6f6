using Provisioning.Arm;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.Resources;

namespace Provisioning.Activities;

/// <summary>
/// Reads whether the grant's deterministic role assignment exists before the run creates it. Role assignments carry
/// no tags, so this snapshot, kept in the run's history, is what later tells "created by this run" from "found".
/// </summary>
public sealed class FindRoleAssignment(ProvisioningArmClient arm) : ArmActivity<RoleAssignmentRequest, bool>(arm)
{
    /// <inheritdoc />
    protected override async Task<bool> ExecuteAsync(RoleAssignmentRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var name = RoleAssignmentName.For(input.Scope, input.PrincipalId, BuiltInRoles.DefinitionId(input.Scope.SubscriptionId, input.RoleDefinitionId));
        return await Arm.RoleAssignments.GetAsync(input.Scope, name, cancellationToken) is not null;
    }
}

/// <summary>A role for a principal at a scope.</summary>
/// <param name="Scope">Where the role applies.</param>
/// <param name="PrincipalId">The principal's object id.</param>
/// <param name="RoleDefinitionId">The role definition GUID.</param>
public sealed record RoleAssignmentRequest(ArmResourceId Scope, string PrincipalId, Guid RoleDefinitionId);
