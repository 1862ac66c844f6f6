using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Drift;
using Provisioning.Orchestrations;
using Provisioning.Runs;
using Provisioning.Templates.Binding;

namespace Provisioning.EndToEnd.Tests.Drift;

/// <summary>An ACR task deleted by hand is found missing (its registry's task list) and recreated by a run in its lane.</summary>
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
        var starter = new ProvisioningStarter(sandbox.Catalog, sandbox.Client, DriftSandbox.Timings);
        var id = await starter.StartAsync("build", new Dictionary<string, JsonNode?> { ["registryId"] = sandbox.RegistryId }, new TemplateTarget(sandbox.Emulator.SubscriptionId, DriftSandbox.ResourceGroup, "westeurope"));
        var run = await sandbox.WaitAsync(id);
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        var taskId = run.ReadOutputAs<ProvisioningResult>()!.WorkloadId;

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
}
