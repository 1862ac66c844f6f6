using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests.RegistryTasks;

/// <summary>
/// The ACR task kind end to end (seed 004): a task in one registry runs on a base image from another registry, pulled
/// with the task's system-assigned identity, granted once the task exists; runs refused while the grant propagates are
/// scheduled again; the run's output names the ACR run.
/// </summary>
public sealed class RegistryTaskRunTests
{
    private const string BaseRegistry = "baseregistry";

    private static readonly FaultSettings Propagating = new()
    {
        PrincipalReplicationDelay = TimeSpan.FromSeconds(1),
        GrantPropagationDelay = TimeSpan.FromSeconds(2),
        ProvisioningDuration = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task A_task_with_a_system_identity_is_created_then_granted_and_its_run_succeeds_once_the_grant_propagates()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating);
        var baseRegistryId = await CreateBaseRegistryAsync(sandbox);

        var done = await sandbox.RunAsync(Input(sandbox, baseRegistryId, SystemAssignedYaml));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.Equal("Microsoft.ContainerRegistry/registries/tasks", result.Kind);
        Assert.EndsWith("/registries/myregistry/tasks/build-app", result.WorkloadId, StringComparison.Ordinal);
        Assert.Null(result.IdentityId);
        Assert.Equal("Succeeded", result.Outputs!["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(result.Outputs["runId"]!.GetValue<string>()));
        Assert.True(result.Outputs["durationSeconds"]!.GetValue<double>() > 0);

        // The first run was refused while the grant propagated (2 s), so it took more than one.
        Assert.True(result.DeploymentAttempts > 1, $"{result.DeploymentAttempts} attempt(s)");
        Assert.Contains(nameof(ProvisioningPhase.WaitingForGrantPropagation), result.PhaseSeconds.Keys);

        var task = await sandbox.ArmClient.RegistryTasks.GetAsync(ArmResourceId.Parse(result.WorkloadId), CancellationToken.None);
        Assert.NotNull(task!.SystemPrincipalId);
        Assert.Equal(task.SystemPrincipalId, result.PrincipalId);
        var assignment = Assert.Single(result.RoleAssignmentIds);
        Assert.StartsWith(baseRegistryId, assignment, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("[system]", task.CustomRegistryIdentities["baseregistry.azurecr.io"]);
        Assert.Equal(2, result.Created.Count);
    }

    [Fact]
    public async Task A_task_whose_runs_keep_failing_is_deleted_with_its_grant_by_compensation()
    {
        // The grant never becomes effective within the run's deadline: the run gives up and deletes what it created.
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating with { GrantPropagationDelay = TimeSpan.FromMinutes(10) });
        var baseRegistryId = await CreateBaseRegistryAsync(sandbox);
        var before = sandbox.Inventory();
        var input = Input(sandbox, baseRegistryId, SystemAssignedYaml);

        var done = await sandbox.RunAsync(input with { Timings = ProvisioningSandbox.FastTimings with { ReadinessDeadline = TimeSpan.FromSeconds(3) } });

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("failed during run", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("compensation deleted 2 resource(s)", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Null(await sandbox.ArmClient.RegistryTasks.GetAsync(input.Template.Workload.ResourceId, CancellationToken.None));

        // The registry keeps its run records, as ACR does; every resource the run created is gone.
        Assert.Equal(before, sandbox.Inventory().Where(id => !id.Contains("/RUNS/", StringComparison.Ordinal)).ToList());
    }

    [Fact]
    public async Task A_user_assigned_identity_is_refused_before_anything_is_created_when_the_base_registry_restricts_its_network()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating);
        var baseRegistryId = await CreateBaseRegistryAsync(sandbox, """{"location":"westeurope","sku":{"name":"Premium"},"properties":{"publicNetworkAccess":"Disabled","networkRuleBypassOptions":"AzureServices"}}""");
        var before = sandbox.Inventory();

        var done = await sandbox.RunAsync(Input(sandbox, baseRegistryId, UserAssignedYaml));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("only the ACR task's system-assigned identity is let in", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("type: SystemAssigned", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }

    [Fact]
    public async Task A_task_with_a_user_assigned_identity_pulls_with_its_client_id()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(Propagating);
        var baseRegistryId = await CreateBaseRegistryAsync(sandbox);

        var done = await sandbox.RunAsync(Input(sandbox, baseRegistryId, UserAssignedYaml));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.EndsWith("/userAssignedIdentities/task-puller", result.IdentityId, StringComparison.Ordinal);
        var task = await sandbox.ArmClient.RegistryTasks.GetAsync(ArmResourceId.Parse(result.WorkloadId), CancellationToken.None);
        Assert.Equal(result.ClientId, task!.CustomRegistryIdentities["baseregistry.azurecr.io"]);
        Assert.Equal(3, result.Created.Count);
    }

    private static ProvisioningInput Input(ProvisioningSandbox sandbox, string baseRegistryId, string yaml)
    {
        var template = TemplateLoader.Parse(yaml, "build-task.yaml");
        var resolved = template.Bind(
            new Dictionary<string, JsonNode?> { ["baseRegistryId"] = baseRegistryId },
            new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope"));
        return new ProvisioningInput(resolved, ProvisioningSandbox.FastTimings);
    }

    private static async Task<string> CreateBaseRegistryAsync(ProvisioningSandbox sandbox, string body = """{"location":"westeurope","sku":{"name":"Standard"},"properties":{}}""")
    {
        var id = $"{sandbox.Subscription}/resourceGroups/{ProvisioningSandbox.ResourceGroup}/providers/Microsoft.ContainerRegistry/registries/{BaseRegistry}";
        using (var response = await sandbox.PutAsync(id, "2025-11-01", body))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (sandbox.Emulator.GetInventory().Single(entry => entry.Id.Equals(id, StringComparison.OrdinalIgnoreCase)).ProvisioningState != "Succeeded")
        {
            await Task.Delay(50, timeout.Token);
        }

        Assert.NotNull(sandbox.Emulator.PushImage(BaseRegistry, "base/runtime", "1.0"));
        return id;
    }

    private const string TaskYaml = """
        grants:
          - role: AcrPull
            scope: "[parameters('baseRegistryId')]"
        workload:
          type: Microsoft.ContainerRegistry/registries/tasks
          name: myregistry/build-app
          location: "[resourceGroup().location]"
          properties:
            platform: { os: Linux, architecture: amd64 }
            agentConfiguration: { cpu: 2 }
            step:
              type: EncodedTask
              encodedTaskContent: "[base64('steps:\n  - cmd: baseregistry.azurecr.io/base/runtime:1.0 echo built\n')]"
            credentials:
              customRegistries:
                baseregistry.azurecr.io:
        """;

    private const string SystemAssignedYaml = """
        parameters:
          baseRegistryId: { type: string }
        identity:
          type: SystemAssigned
        """ + "\n" + TaskYaml + """

                  identity: system
        """;

    private const string UserAssignedYaml = """
        parameters:
          baseRegistryId: { type: string }
        identity:
          name: task-puller
        """ + "\n" + TaskYaml + """

                  identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'task-puller')]"
        """;
}
