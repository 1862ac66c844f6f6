using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Arm.Resources;
using Provisioning.Drift;
using Provisioning.Orchestrations;

namespace Provisioning.EndToEnd.Tests.Drift;

/// <summary>
/// The secret access runs gave in key vaults: in access-policy mode a permission taken out of the principal's entry is
/// found in the subscription's one list of vaults (AccessPolicyRemoved); in RBAC mode a deleted Key Vault Secrets User
/// assignment is found in the role assignment list (GrantRemoved). Both repaired by a run in the lane; a template whose
/// policy is report is only reported.
/// </summary>
public sealed class KeyVaultDriftTests
{
    [Fact]
    public async Task Removed_vault_access_is_found_in_the_vault_and_role_assignment_lists_and_repaired_unless_the_policy_is_report()
    {
        await using var sandbox = await DriftSandbox.StartAsync(Yaml("site-kv", "repair"), Yaml("site-kv-report", "report"));
        var policyVault = await sandbox.CreateVaultAsync("kv-drift-ap", rbac: false);
        var rbacVault = await sandbox.CreateVaultAsync("kv-drift-rbac", rbac: true);
        var results = new Dictionary<string, ProvisioningResult>();
        foreach (var (name, template, vaultId) in new[]
        {
            ("kv-intact", "site-kv", policyVault),
            ("kv-policy", "site-kv", policyVault),
            ("kv-rbac", "site-kv", rbacVault),
            ("kv-reported", "site-kv-report", policyVault),
        })
        {
            var parameters = sandbox.Parameters(name);
            parameters["vaultId"] = vaultId;
            var run = await sandbox.ProvisionAsync(template, parameters);
            Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
            results[name] = run.ReadOutputAs<ProvisioningResult>()!;
        }

        var clean = await sandbox.DriftAsync(dryRun: true);
        Assert.True(clean.Findings.Count == 0, string.Join("; ", clean.Findings));

        // Drift, by hand: 'get' taken out of one entry, another entry removed, the RBAC assignment deleted.
        var tenant = sandbox.Emulator.TenantId;
        await sandbox.ArmClient.KeyVaults.RemoveAccessPolicyAsync(ArmResourceId.Parse(policyVault), tenant, results["kv-policy"].PrincipalId!, ["get"], CancellationToken.None);
        await sandbox.ArmClient.KeyVaults.RemoveAccessPolicyAsync(ArmResourceId.Parse(policyVault), tenant, results["kv-reported"].PrincipalId!, ["get", "list"], CancellationToken.None);
        var assignment = Assert.Single(results["kv-rbac"].RoleAssignmentIds, id => id.StartsWith(rbacVault + "/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase));
        using (var revoked = await sandbox.SendAsync(HttpMethod.Delete, assignment, ArmApiVersions.RoleAssignments))
        {
            Assert.True(revoked.IsSuccessStatusCode);
        }

        var before = sandbox.Emulator.GetRequestLog().Count;

        var report = await sandbox.DriftAsync();

        // One list of vaults for the subscription, beside identities, role assignments and container groups.
        Assert.Single(sandbox.Emulator.GetRequestLog().Skip(before), request => request.Path.EndsWith("/providers/Microsoft.KeyVault/vaults", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(4, report.ArmCalls);
        Assert.DoesNotContain(report.Findings, finding => finding.WorkloadId == sandbox.GroupId("kv-intact"));
        var policy = Assert.Single(report.Findings, finding => finding.WorkloadId == sandbox.GroupId("kv-policy"));
        Assert.Equal(
            (DriftKind.AccessPolicyRemoved, policyVault, $"properties.accessPolicies[{results["kv-policy"].PrincipalId}].permissions.secrets", "get, list", "list"),
            (policy.Kind, policy.ResourceId, policy.Property, policy.Expected, policy.Actual));
        var entry = Assert.Single(report.Findings, finding => finding.WorkloadId == sandbox.GroupId("kv-reported"));
        Assert.Equal((DriftKind.AccessPolicyRemoved, "no access-policy entry"), (entry.Kind, entry.Actual));
        var grant = Assert.Single(report.Findings, finding => finding.WorkloadId == sandbox.GroupId("kv-rbac"));
        Assert.Equal(DriftKind.GrantRemoved, grant.Kind);
        Assert.Equal(assignment, grant.ResourceId, ignoreCase: true);
        Assert.Contains("Key Vault Secrets User", grant.Expected, StringComparison.Ordinal);

        Assert.Equal(3, report.Repairs.Count);
        var reported = Assert.Single(report.Repairs, repair => repair.Template == "site-kv-report");
        Assert.Equal((DriftRepair.Reported, (string?)null), (reported.Status, reported.RunId));
        Assert.Single(await sandbox.LaneAsync("kv-reported"));
        foreach (var repair in report.Repairs.Where(repair => repair.Template == "site-kv"))
        {
            Assert.True(repair.Status == DriftRepair.Completed, $"{repair.WorkloadId}: {repair.Status} {repair.Failure}");
            Assert.Contains(await sandbox.LaneAsync(repair.WorkloadId.Split('/')[^1]), run => run.InstanceId == repair.RunId && run.Name == nameof(ProvisionWorkload));
        }

        // Repaired in the vault itself; the reported workload still drifts.
        var vault = (await sandbox.ArmClient.KeyVaults.GetAsync(ArmResourceId.Parse(policyVault), CancellationToken.None))!;
        Assert.Equal(["get", "list"], vault.SecretPermissionsOf(results["kv-policy"].PrincipalId!).Order(StringComparer.Ordinal));
        Assert.Empty(vault.SecretPermissionsOf(results["kv-reported"].PrincipalId!));
        var again = await sandbox.DriftAsync(dryRun: true);
        Assert.Equal(sandbox.GroupId("kv-reported"), Assert.Single(again.Findings).WorkloadId);
    }

    [Fact]
    public async Task A_vault_switched_to_RBAC_mode_is_found_and_the_repair_grants_Secrets_User_instead()
    {
        await using var sandbox = await DriftSandbox.StartAsync(Yaml("site-kv", "repair"));
        var vaultId = await sandbox.CreateVaultAsync("kv-drift-switch", rbac: false);
        var parameters = sandbox.Parameters("kv-switch");
        parameters["vaultId"] = vaultId;
        var run = await sandbox.ProvisionAsync("site-kv", parameters);
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        var principal = run.ReadOutputAs<ProvisioningResult>()!.PrincipalId!;
        using (var patched = await sandbox.SendAsync(HttpMethod.Patch, vaultId, ArmApiVersions.KeyVaults, """{"properties":{"enableRbacAuthorization":true}}"""))
        {
            Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        }

        var report = await sandbox.DriftAsync();

        // The entry is still there, but an RBAC vault ignores it: the workload has lost its secrets all the same.
        var finding = Assert.Single(report.Findings);
        Assert.Equal((DriftKind.AccessPolicyRemoved, vaultId, "properties.enableRbacAuthorization"), (finding.Kind, finding.ResourceId, finding.Property));
        var repair = Assert.Single(report.Repairs);
        Assert.True(repair.Status == DriftRepair.Completed, repair.Failure);
        var repaired = (await sandbox.WaitAsync(repair.RunId!)).ReadOutputAs<ProvisioningResult>()!;
        Assert.Equal("rbac", repaired.Outputs!["keyVault"]!["mode"]!.GetValue<string>());
        Assert.Contains(repaired.RoleAssignmentIds, id => id.StartsWith(vaultId + "/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(principal, repaired.PrincipalId);
        Assert.Empty((await sandbox.DriftAsync(dryRun: true)).Findings);
    }

    /// <summary>The drift sandbox's site, whose identity also reads secrets from the vault <c>vaultId</c>.</summary>
    private static string Yaml(string name, string policy) => DriftSandbox.SiteYaml(name, policy)
        .Replace("  registryId: { type: string }", "  registryId: { type: string }\n  vaultId: { type: string }", StringComparison.Ordinal)
        .Replace("  name: \"[parameters('name')]\"\n", "  name: \"[parameters('name')]\"\n  keyVault:\n    id: \"[parameters('vaultId')]\"\n    secrets: [get, list]\n", StringComparison.Ordinal);
}
