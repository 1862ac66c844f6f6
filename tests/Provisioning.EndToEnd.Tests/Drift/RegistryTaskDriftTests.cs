using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Drift;
using Provisioning.Orchestrations;
using Provisioning.Runs;
using Provisioning.Templates.Binding;

namespace Provisioning.EndToEnd.Tests.Drift;

/// <summary>
/// An ACR task deleted by hand is found missing (its registry's task list) and recreated by a run in its lane; a task
/// whose identity was changed by hand is found changed against the identity its run gave it, and given it back.
/// </summary>
public sealed class RegistryTaskDriftTests
{
    private const string TaskYaml = """
        name: build
        parameters:
          registryId: { type: string }
        identity:
          type: SystemAssigned
        grants:
          - role: AcrPull
            scope: "[parameters('registryId')]"
        workload:
          type: Microsoft.ContainerRegistry/registries/tasks
          name: driftacr/build-app
          location: "[resourceGroup().location]"
          properties:
            platform: { os: Linux, architecture: amd64 }
            agentConfiguration: { cpu: 2 }
            step:
              type: EncodedTask
              encodedTaskContent: "[base64('steps:\n  - cmd: driftacr.azurecr.io/web:1.0 echo built\n')]"
            credentials:
              customRegistries:
                driftacr.azurecr.io:
                  identity: system
        """;

    [Fact]
    public async Task A_deleted_task_is_found_missing_and_recreated_by_a_run_in_its_lane()
    {
        await using var sandbox = await DriftSandbox.StartAsync(TaskYaml);
        var (id, taskId) = await ProvisionTaskAsync(sandbox);

        var clean = await sandbox.DriftAsync(dryRun: true);
        Assert.True(clean.Findings.Count == 0, string.Join("; ", clean.Findings));
        using (var deleted = await sandbox.SendAsync(HttpMethod.Delete, taskId, ArmApiVersions.RegistryTasks))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        await sandbox.WaitUntilGoneAsync(taskId);

        var report = await sandbox.DriftAsync();

        var missing = Assert.Single(report.Findings);
        Assert.Equal((DriftKind.TaskMissing, taskId, "not found"), (missing.Kind, missing.ResourceId, missing.Actual));
        var repair = Assert.Single(report.Repairs);
        Assert.True(repair.Status == DriftRepair.Completed, repair.Failure);
        Assert.StartsWith(id[..(id.LastIndexOf(':') + 1)], repair.RunId, StringComparison.Ordinal);
        Assert.Empty((await sandbox.DriftAsync(dryRun: true)).Findings);
    }

    [Fact]
    public async Task A_task_whose_identity_was_removed_is_found_changed_and_given_its_identity_back()
    {
        await using var sandbox = await DriftSandbox.StartAsync(TaskYaml);
        var (_, taskId) = await ProvisionTaskAsync(sandbox);
        Assert.Empty((await sandbox.DriftAsync(dryRun: true)).Findings);
        using (var patched = await sandbox.SendAsync(HttpMethod.Patch, taskId, ArmApiVersions.RegistryTasks, """{"identity":{"type":"None"}}"""))
        {
            Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        }

        var report = await sandbox.DriftAsync();

        var changed = Assert.Single(report.Findings);
        Assert.Equal((DriftKind.WorkloadChanged, taskId, "identity", "SystemAssigned", "None"), (changed.Kind, changed.ResourceId, changed.Property, changed.Expected, changed.Actual));
        var repair = Assert.Single(report.Repairs);
        Assert.True(repair.Status == DriftRepair.Completed, repair.Failure);
        var task = await sandbox.GetAsync(taskId, ArmApiVersions.RegistryTasks);
        Assert.Equal("SystemAssigned", task["identity"]!["type"]!.GetValue<string>());
        Assert.Empty((await sandbox.DriftAsync(dryRun: true)).Findings);
    }

    // Runs the template once and returns the run's id and the task it made.
    private static async Task<(string RunId, string TaskId)> ProvisionTaskAsync(DriftSandbox sandbox)
    {
        var starter = new ProvisioningStarter(sandbox.Catalog, sandbox.Client, DriftSandbox.Timings);
        var id = await starter.StartAsync("build", new Dictionary<string, JsonNode?> { ["registryId"] = sandbox.RegistryId }, new TemplateTarget(sandbox.Emulator.SubscriptionId, DriftSandbox.ResourceGroup, "westeurope"));
        var run = await sandbox.WaitAsync(id);
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        return (id, run.ReadOutputAs<ProvisioningResult>()!.WorkloadId);
    }
}
