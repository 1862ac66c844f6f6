using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Templates.Loading;
using static Provisioning.Drift.DriftText;

namespace Provisioning.Drift;

/// <summary>
/// One drift scan: the desired state from the runs (<see cref="DesiredState"/>), the actual state from ARM lists — one
/// per collection any of <see cref="DriftChecks.All"/> asks for (identities and role assignments per subscription, each
/// kind's <see cref="IWorkloadDrift.ListTarget"/>, the vaults a run gave secret access in), so the number of requests
/// follows the types and pages, never the number of deployments — and each check's comparison.
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
            foreach (var check in DriftChecks.All)
            {
                collections.UnionWith(check.ListTargets(workload));
            }
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
                    assignments.Add(GrantDrift.AssignmentKey(Text(properties["scope"]), Text(properties["principalId"]), Text(properties["roleDefinitionId"])));
                }
            }
        }

        var resources = new ListedResources(byId, assignments);
        var findings = new List<DriftFinding>();
        var repairs = new List<DriftRepair>();
        foreach (var workload in desired)
        {
            var found = DriftChecks.All.SelectMany(check => check.Compare(workload, resources)).ToList();
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
}
