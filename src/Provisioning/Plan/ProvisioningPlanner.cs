using System.Text.Json.Nodes;
using Provisioning.Arm;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Drift;
using Provisioning.Templates.Binding;
using Provisioning.Workloads;

namespace Provisioning.Plan;

/// <summary>
/// The what-if of a run: from the bound template and ARM reads only (GETs), what the run would create, change or
/// leave — the identity, each grant, the workload with its changed properties, and the update restrictions that would
/// force a replace (<see cref="ContainerGroupProfile.RestrictedChanges"/>).
/// </summary>
/// <param name="arm">Reads ARM.</param>
public sealed class ProvisioningPlanner(ProvisioningArmClient arm)
{
    /// <summary>Plans a run of <paramref name="template"/>.</summary>
    /// <param name="template">The bound template.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<ProvisioningPlan> PlanAsync(ResolvedTemplate template, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        var items = new List<PlanItem>();
        string? principal = null;
        if (template.Identity is { } identity)
        {
            var existing = await arm.Identities.GetAsync(identity.ResourceId, cancellationToken);
            principal = existing?.PrincipalId;
            items.Add(new PlanItem("identity", identity.ResourceId.ToString(), existing is null ? PlanAction.Create : PlanAction.NoChange, []));
        }

        var workload = template.Workload;
        var actual = await arm.Resources.GetAsync(workload.ResourceId, ArmApiVersions.For(workload.Kind), cancellationToken);
        if (template.Identity is null)
        {
            // A system-assigned identity's principal is the workload's own: known only once the workload exists.
            principal = actual?["identity"]?["principalId"]?.GetValue<string>();
        }

        foreach (var grant in template.Grants)
        {
            items.Add(await PlanGrantAsync(grant, principal, cancellationToken));
        }

        items.Add(PlanWorkload(workload, actual));
        return new ProvisioningPlan(template.TemplateName, items);
    }

    private async Task<PlanItem> PlanGrantAsync(ResolvedGrant grant, string? principal, CancellationToken cancellationToken)
    {
        var role = grant.RoleName ?? grant.RoleDefinitionId.ToString();
        if (principal is null)
        {
            return new PlanItem("grant", $"{grant.Scope}/providers/Microsoft.Authorization/roleAssignments/(new)", PlanAction.Create, [$"{role} at {grant.Scope} for the new principal"]);
        }

        var name = RoleAssignmentName.For(grant.Scope, principal, grant.RoleDefinitionId.ToString());
        var assignments = await arm.RoleAssignments.ListForPrincipalAsync(grant.Scope, principal, cancellationToken);
        var found = assignments.FirstOrDefault(assignment => assignment.RoleDefinitionGuid == grant.RoleDefinitionId
            && assignment.Scope.TrimEnd('/').Equals(grant.Scope.ToString(), StringComparison.OrdinalIgnoreCase));
        return found is null
            ? new PlanItem("grant", $"{grant.Scope}/providers/Microsoft.Authorization/roleAssignments/{name}", PlanAction.Create, [$"{role} at {grant.Scope} for {principal}"])
            : new PlanItem("grant", found.Id, PlanAction.NoChange, []);
    }

    private static PlanItem PlanWorkload(ResolvedWorkload workload, JsonObject? actual)
    {
        var id = workload.ResourceId.ToString();
        if (actual is null)
        {
            return new PlanItem("workload", id, PlanAction.Create, []);
        }

        var changes = new List<string>();
        if (workload.Kind.Equals(ContainerGroupClient.ResourceType, StringComparison.OrdinalIgnoreCase))
        {
            var restricted = ContainerGroupProfile.OfBody(actual).RestrictedChanges(ContainerGroupProfile.OfBody(workload.Body));
            if (restricted.Count > 0)
            {
                return new PlanItem("workload", id, PlanAction.Replace, restricted);
            }
        }

        var drift = WorkloadKinds.TryGet(workload.Kind, out var kind) ? kind.Drift : null;
        foreach (var finding in drift?.Compare(workload, actual) ?? [])
        {
            changes.Add($"{finding.Property ?? finding.Kind.ToString()}: {finding.Actual} → {finding.Expected}");
        }

        return new PlanItem("workload", id, changes.Count == 0 ? PlanAction.NoChange : PlanAction.Update, changes);
    }
}
