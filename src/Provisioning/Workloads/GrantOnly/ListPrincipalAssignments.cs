using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.GrantOnly;

/// <summary>
/// Lists the role assignments of a principal at each granted scope (<c>$filter=principalId eq '…'</c>) and returns the
/// ids listed: the first half of a grant-only run's readiness (the assignment is visible for that principal).
/// </summary>
public sealed class ListPrincipalAssignments(ProvisioningArmClient arm) : ArmActivity<PrincipalAssignmentsRequest, IReadOnlyList<string>>(arm)
{
    /// <inheritdoc />
    protected override async Task<IReadOnlyList<string>> ExecuteAsync(PrincipalAssignmentsRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var listed = new List<string>();
        foreach (var scope in input.Scopes.Distinct())
        {
            var assignments = await Arm.RoleAssignments.ListForPrincipalAsync(scope, input.PrincipalId, cancellationToken);
            listed.AddRange(assignments.Select(assignment => assignment.Id));
        }

        return listed.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }
}

/// <summary>Which principal's assignments to list, and at which scopes.</summary>
/// <param name="PrincipalId">The principal's object id.</param>
/// <param name="Scopes">The granted scopes.</param>
public sealed record PrincipalAssignmentsRequest(string PrincipalId, IReadOnlyList<ArmResourceId> Scopes);
