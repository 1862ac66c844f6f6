using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Drift;
using Provisioning.Orchestrations;

namespace Provisioning.EndToEnd.Tests.Drift;

/// <summary>Drift found in ARM lists and repaired by running each drifted workload's provisioning again in its lane.</summary>
public sealed class DriftRepairTests
{
    [Fact]
    public async Task Each_drift_kind_is_found_naming_resource_expected_and_actual_and_repaired_by_a_run_in_the_lane()
    {
        await using var sandbox = await DriftSandbox.StartAsync();
        string[] names = ["intact", "no-identity", "no-grant", "new-image", "stopped", "deleted", "other-credential"];
        var runs = new Dictionary<string, ProvisioningResult>();
        foreach (var name in names)
        {
            var run = await sandbox.ProvisionAsync(name);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
            runs[name] = run.ReadOutputAs<ProvisioningResult>()!;
        }

        // Drift, by hand, as someone in the portal would.
        using (var deleted = await sandbox.SendAsync(HttpMethod.Delete, sandbox.IdentityId("no-identity"), ArmApiVersions.UserAssignedIdentities))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        using (var revoked = await sandbox.SendAsync(HttpMethod.Delete, runs["no-grant"].RoleAssignmentIds[0], ArmApiVersions.RoleAssignments))
        {
            Assert.True(revoked.IsSuccessStatusCode);
        }

        await PutChangedAsync(sandbox, "new-image", body => body["properties"]!["containers"]![0]!["properties"]!["image"] = "driftacr.azurecr.io/web:2.0");
        await PutChangedAsync(sandbox, "other-credential", body =>
        {
            body["identity"]!["userAssignedIdentities"] = new JsonObject { [sandbox.IdentityId("intact")] = new JsonObject() };
            body["properties"]!["imageRegistryCredentials"]![0]!["identity"] = sandbox.IdentityId("intact");
        });
        using (var stopped = await sandbox.SendAsync(HttpMethod.Post, sandbox.GroupId("stopped") + "/stop", ArmApiVersions.ContainerGroups))
        {
            Assert.True(stopped.IsSuccessStatusCode);
        }

        using (var deleted = await sandbox.SendAsync(HttpMethod.Delete, sandbox.GroupId("deleted"), ArmApiVersions.ContainerGroups))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        await sandbox.WaitUntilGoneAsync(sandbox.GroupId("deleted"));

        var report = await sandbox.DriftAsync();

        Assert.Equal(names.Length, report.Workloads);
        Assert.DoesNotContain(report.Findings, finding => finding.WorkloadId == sandbox.GroupId("intact"));
        var identity = Assert.Single(report.Findings, finding => finding.Kind == DriftKind.IdentityDeleted);
        Assert.Equal((sandbox.GroupId("no-identity"), sandbox.IdentityId("no-identity"), "not found"), (identity.WorkloadId, identity.ResourceId, identity.Actual));
        var grant = Assert.Single(report.Findings, finding => finding.Kind == DriftKind.GrantRemoved);
        Assert.Equal(sandbox.GroupId("no-grant"), grant.WorkloadId);
        Assert.Equal(runs["no-grant"].RoleAssignmentIds[0], grant.ResourceId, ignoreCase: true);
        Assert.Contains("AcrPull", grant.Expected, StringComparison.Ordinal);
        var image = Assert.Single(report.Findings, finding => finding.WorkloadId == sandbox.GroupId("new-image"));
        Assert.Equal((DriftKind.WorkloadChanged, "properties.containers[web].properties.image", "driftacr.azurecr.io/web:1.0", "driftacr.azurecr.io/web:2.0"), (image.Kind, image.Property, image.Expected, image.Actual));
        var credential = Assert.Single(report.Findings, finding => finding.WorkloadId == sandbox.GroupId("other-credential") && finding.Property == "properties.imageRegistryCredentials");
        Assert.Contains("other-credential-id", credential.Expected, StringComparison.Ordinal);
        Assert.Contains("intact-id", credential.Actual, StringComparison.Ordinal);
        var identities = Assert.Single(report.Findings, finding => finding.WorkloadId == sandbox.GroupId("other-credential") && finding.Property == "identity");
        Assert.Equal(DriftKind.WorkloadChanged, identities.Kind);
        Assert.Contains("intact-id", identities.Actual, StringComparison.Ordinal);
        var stoppedFinding = Assert.Single(report.Findings, finding => finding.Kind == DriftKind.WorkloadStopped);
        Assert.Equal((sandbox.GroupId("stopped"), "Running", "Stopped"), (stoppedFinding.WorkloadId, stoppedFinding.Expected, stoppedFinding.Actual));
        var deletedFinding = Assert.Single(report.Findings, finding => finding.Kind == DriftKind.WorkloadDeleted);
        Assert.Equal(sandbox.GroupId("deleted"), deletedFinding.ResourceId);

        // One repair per drifted workload, each a ProvisionWorkload run in the workload's lane, each completed.
        Assert.Equal(names.Length - 1, report.Repairs.Count);
        Assert.All(report.Repairs, repair => Assert.Equal(DriftRepair.Completed, repair.Status));
        foreach (var repair in report.Repairs)
        {
            var name = repair.WorkloadId.Split('/')[^1];
            var lane = await sandbox.LaneAsync(name);
            Assert.Contains(lane, run => run.InstanceId == repair.RunId && run.Name == nameof(ProvisionWorkload));
        }

        // Repaired: a second scan finds nothing.
        var again = await sandbox.DriftAsync(dryRun: true);
        Assert.Empty(again.Findings);
        Assert.Equal(names.Length, again.Workloads);
    }

    [Fact]
    public async Task One_scan_lists_each_collection_once_whatever_the_number_of_workloads()
    {
        await using var sandbox = await DriftSandbox.StartAsync();
        foreach (var name in new[] { "one", "two", "three" })
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await sandbox.ProvisionAsync(name)).RuntimeStatus);
        }

        var before = sandbox.Emulator.GetRequestLog().Count;
        var report = await sandbox.DriftAsync(dryRun: true);

        var requests = sandbox.Emulator.GetRequestLog().Skip(before).ToList();
        Assert.Equal(3, report.ArmCalls);
        Assert.Equal(3, report.ArmPages);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, request => Assert.Equal("GET", request.Method));
        Assert.Empty(report.Findings);
    }

    private static async Task PutChangedAsync(DriftSandbox sandbox, string name, Action<JsonObject> change)
    {
        var group = await sandbox.GetAsync(sandbox.GroupId(name), ArmApiVersions.ContainerGroups);
        var properties = group["properties"]!.AsObject();
        var body = new JsonObject
        {
            ["location"] = group["location"]!.DeepClone(),
            ["identity"] = DriftSandbox.UserAssignedIdentityOf(group),
            ["properties"] = new JsonObject
            {
                ["containers"] = new JsonArray(properties["containers"]!.AsArray().Select(container => (JsonNode?)new JsonObject
                {
                    ["name"] = container!["name"]!.DeepClone(),
                    ["properties"] = new JsonObject
                    {
                        ["image"] = container["properties"]!["image"]!.DeepClone(),
                        ["ports"] = container["properties"]!["ports"]!.DeepClone(),
                        ["resources"] = container["properties"]!["resources"]!.DeepClone(),
                    },
                }).ToArray()),
                ["imageRegistryCredentials"] = properties["imageRegistryCredentials"]!.DeepClone(),
                ["osType"] = properties["osType"]!.DeepClone(),
            },
        };
        change(body);
        using var response = await sandbox.SendAsync(HttpMethod.Put, sandbox.GroupId(name), ArmApiVersions.ContainerGroups, body.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await sandbox.GetAsync(sandbox.GroupId(name), ArmApiVersions.ContainerGroups))["properties"]!["provisioningState"]!.GetValue<string>() is "Creating" or "Updating" or "Pending")
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
