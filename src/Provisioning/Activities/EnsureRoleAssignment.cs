using Provisioning.Arm;

namespace Provisioning.Activities;

/// <summary>
/// Grants the role (create-or-update under the deterministic name, <c>principalType: ServicePrincipal</c>). A principal
/// not yet replicated fails with <see cref="AzureNotReadyException"/>, which the orchestration retries with backoff.
/// </summary>
public sealed class EnsureRoleAssignment(ProvisioningArmClient arm) : ArmActivity<RoleAssignmentRequest, RoleAssignmentResult>(arm)
{
    /// <inheritdoc />
    protected override async Task<RoleAssignmentResult> ExecuteAsync(RoleAssignmentRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var ensured = await Arm.RoleAssignments.EnsureAsync(input.Scope, input.PrincipalId, input.RoleDefinitionId, cancellationToken);
        return new RoleAssignmentResult(ensured.Resource.Id, input.Scope.ToString(), ensured.Resource.Name);
    }
}

/// <summary>The assignment that holds the grant.</summary>
/// <param name="Id">Its full id.</param>
/// <param name="Scope">Its scope.</param>
/// <param name="Name">Its name.</param>
public sealed record RoleAssignmentResult(string Id, string Scope, Guid Name);
