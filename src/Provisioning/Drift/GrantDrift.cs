using Provisioning.Arm;
using Provisioning.Arm.Authorization;

namespace Provisioning.Drift;

/// <summary>
/// The template's role assignments to the run's principal, listed per subscription (those at and below it): one not
/// found, under any name, is <see cref="DriftKind.GrantRemoved"/>.
/// </summary>
internal sealed class GrantDrift : IDriftCheck
{
    public IEnumerable<ArmListTarget> ListTargets(DesiredWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return workload.Input.Template.Grants.Select(grant => RoleAssignmentCollection(grant.Scope.SubscriptionId));
    }

    public IReadOnlyList<DriftFinding> Compare(DesiredWorkload workload, ListedResources listed)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(listed);
        if (workload.Result.PrincipalId is not { } principal)
        {
            return [];
        }

        var findings = new List<DriftFinding>();
        foreach (var grant in workload.Input.Template.Grants)
        {
            if (!listed.HasAssignment(grant.Scope.ToString(), principal, grant.RoleDefinitionId.ToString()))
            {
                var name = RoleAssignmentName.For(grant.Scope, principal, grant.RoleDefinitionId.ToString());
                var id = $"{grant.Scope}/providers/Microsoft.Authorization/roleAssignments/{name}";
                findings.Add(new DriftFinding(
                    workload.WorkloadId, DriftKind.GrantRemoved, id, null, $"{grant.RoleName ?? grant.RoleDefinitionId.ToString()} for principal {principal} at {grant.Scope}", "no such role assignment"));
            }
        }

        return findings;
    }

    /// <summary>The role assignments of a subscription (those at and below it: resource groups, resources).</summary>
    public static ArmListTarget RoleAssignmentCollection(string subscriptionId) =>
        new($"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleAssignments", ArmApiVersions.RoleAssignments);

    /// <summary>Scope, principal and role GUID, lower case: what makes an assignment the same grant whatever its name.</summary>
    public static string AssignmentKey(string? scope, string? principal, string? role) =>
        string.Join('\n', (scope ?? string.Empty).TrimEnd('/').ToLowerInvariant(), (principal ?? string.Empty).ToLowerInvariant(), RoleText(role));

    private static string RoleText(string? role)
    {
        var last = (role ?? string.Empty).TrimEnd('/').Split('/')[^1];
        return Guid.TryParse(last, out var guid) ? guid.ToString("D") : last.ToLowerInvariant();
    }
}
