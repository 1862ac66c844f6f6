using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.Identities;
using Provisioning.Arm.Resources;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;
using Provisioning.Workloads;
using static Provisioning.Drift.DriftText;

namespace Provisioning.Drift;

/// <summary>
/// One drift scan: the desired state from the runs (<see cref="DesiredState"/>), the actual state from ARM lists — one
/// per collection (identities and role assignments per subscription, each kind's <see cref="IWorkloadDrift.ListTarget"/>,
/// the vaults a run gave secret access in, <see cref="KeyVaultAccessDrift"/>), so the number of requests follows the
/// types and pages, never the number of deployments — and the comparison.
/// </summary>
/// <param name="arm">Lists ARM collections.</param>
/// <param name="client">Reads the runs.</param>
/// <param name="catalog">The templates, for each one's <see cref="DriftPolicy"/>; a workload whose template is gone is only reported.</param>
/// <param name="time">The clock.</param>
public sealed class DriftScanner(ProvisioningArmClient arm, DurableTaskClient client, TemplateCatalog catalog, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Scans; every drifted workload gets a repair entry, <see cref="DriftRepair.Pending"/> when it is to be repaired.</summary>
    /// <param name="dryRun">Find without repairing.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public async Task<DriftReport> ScanAsync(bool dryRun, CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var scannedAt = _time.GetUtcNow();
        var (desired, busy) = await DesiredState.ReadAsync(client, cancellationToken);
        var desiredSeconds = _time.GetElapsedTime(started).TotalSeconds;

        var collections = new HashSet<ArmListTarget>();
        foreach (var workload in desired)
        {
            var template = workload.Input.Template;
            if (template.Identity is { } identity)
            {
                collections.Add(IdentityCollection(identity.ResourceId.SubscriptionId));
            }

            foreach (var grant in template.Grants)
            {
                collections.Add(RoleAssignmentCollection(grant.Scope.SubscriptionId));
            }

            if (Drift(template) is { } drift)
            {
                collections.Add(drift.ListTarget(template.Workload));
            }

            collections.UnionWith(KeyVaultAccessDrift.ListTargets(workload));
        }

        var listed = new Dictionary<ArmListTarget, IReadOnlyList<JsonObject>>();
        var pages = 0;
        foreach (var collection in collections.OrderBy(c => c.Path, StringComparer.OrdinalIgnoreCase))
        {
            var result = await arm.Lists.ListAsync(collection.Path, collection.ApiVersion, cancellationToken);
            listed[collection] = result.Items;
            pages += result.Pages;
        }

        var listSeconds = _time.GetElapsedTime(started).TotalSeconds - desiredSeconds;
        var byId = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        var assignments = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (collection, items) in listed)
        {
            foreach (var item in items)
            {
                if (Text(item["id"]) is { } id)
                {
                    byId[id] = item;
                }

                if (collection.Path.EndsWith("/roleAssignments", StringComparison.OrdinalIgnoreCase) && item["properties"] is JsonObject properties)
                {
                    assignments.Add(AssignmentKey(Text(properties["scope"]), Text(properties["principalId"]), Text(properties["roleDefinitionId"])));
                }
            }
        }

        var findings = new List<DriftFinding>();
        var repairs = new List<DriftRepair>();
        foreach (var workload in desired)
        {
            var found = Compare(workload, byId, assignments);
            if (found.Count == 0)
            {
                continue;
            }

            findings.AddRange(found);
            var template = workload.Input.Template.TemplateName;
            var policy = catalog.TryGet(template, out var known) ? known.Drift : DriftPolicy.Report;
            var status = dryRun ? DriftRepair.DryRun : policy == DriftPolicy.Report ? DriftRepair.Reported : DriftRepair.Pending;
            repairs.Add(new DriftRepair(workload.WorkloadId, template, workload.RunId, status));
        }

        return new DriftReport(scannedAt, dryRun, desired.Count, collections.Count, pages, _time.GetElapsedTime(started).TotalSeconds, findings, repairs, busy)
        {
            DesiredSeconds = desiredSeconds,
            ListSeconds = listSeconds,
        };
    }

    private static List<DriftFinding> Compare(DesiredWorkload workload, Dictionary<string, JsonObject> byId, HashSet<string> assignments)
    {
        var findings = new List<DriftFinding>();
        var template = workload.Input.Template;
        var workloadId = workload.WorkloadId;
        if (template.Identity is { } identity && !byId.ContainsKey(identity.ResourceId.ToString()))
        {
            findings.Add(new DriftFinding(workloadId, DriftKind.IdentityDeleted, identity.ResourceId.ToString(), null, "the identity exists", "not found"));
        }

        if (workload.Result.PrincipalId is { } principal)
        {
            foreach (var grant in template.Grants)
            {
                if (!assignments.Contains(AssignmentKey(grant.Scope.ToString(), principal, grant.RoleDefinitionId.ToString())))
                {
                    var name = RoleAssignmentName.For(grant.Scope, principal, grant.RoleDefinitionId.ToString());
                    var id = $"{grant.Scope}/providers/Microsoft.Authorization/roleAssignments/{name}";
                    findings.Add(new DriftFinding(
                        workloadId, DriftKind.GrantRemoved, id, null, $"{grant.RoleName ?? grant.RoleDefinitionId.ToString()} for principal {principal} at {grant.Scope}", "no such role assignment"));
                }
            }
        }

        if (Drift(template) is { } drift)
        {
            byId.TryGetValue(workloadId, out var actual);
            findings.AddRange(drift.Compare(workload, actual));
        }

        findings.AddRange(KeyVaultAccessDrift.Compare(workload, byId, assignments));
        return findings;
    }

    private static IWorkloadDrift? Drift(ResolvedTemplate template) =>
        WorkloadKinds.TryGet(template.Workload.Kind, out var kind) ? kind.Drift : null;

    private static ArmListTarget IdentityCollection(string subscriptionId) =>
        new($"/subscriptions/{subscriptionId}/providers/{UserAssignedIdentityClient.ResourceType}", ArmApiVersions.UserAssignedIdentities);

    /// <summary>The role assignments of a subscription (those at and below it: resource groups, resources).</summary>
    internal static ArmListTarget RoleAssignmentCollection(string subscriptionId) =>
        new($"/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleAssignments", ArmApiVersions.RoleAssignments);

    /// <summary>Scope, principal and role GUID, lower case: what makes an assignment the same grant whatever its name.</summary>
    internal static string AssignmentKey(string? scope, string? principal, string? role) =>
        string.Join('\n', (scope ?? string.Empty).TrimEnd('/').ToLowerInvariant(), (principal ?? string.Empty).ToLowerInvariant(), RoleText(role));

    private static string RoleText(string? role)
    {
        var last = (role ?? string.Empty).TrimEnd('/').Split('/')[^1];
        return Guid.TryParse(last, out var guid) ? guid.ToString("D") : last.ToLowerInvariant();
    }
}
