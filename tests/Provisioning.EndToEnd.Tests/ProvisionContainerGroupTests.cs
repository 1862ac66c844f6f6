using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Orchestrations;

namespace Provisioning.EndToEnd.Tests;

public sealed class ProvisionContainerGroupTests
{
    private static readonly FaultSettings QuickAzure = new()
    {
        PrincipalReplicationDelay = TimeSpan.FromSeconds(2),
        GrantPropagationDelay = TimeSpan.Zero,
        ProvisioningDuration = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task A_run_creates_identity_grant_and_a_running_group_and_reports_them()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);

        var done = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.EndsWith("/userAssignedIdentities/web-puller", result.IdentityId, StringComparison.Ordinal);
        Assert.EndsWith("/containerGroups/web", result.WorkloadId, StringComparison.Ordinal);
        Assert.Equal("web-e2e.westeurope.azurecontainer.io", result.Outputs!["fqdn"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(result.ClientId));
        Assert.Single(result.RoleAssignmentIds);
        Assert.Equal(3, result.Created.Count);
        Assert.Contains(nameof(ProvisioningPhase.Deploying), result.PhaseSeconds.Keys);

        var group = await sandbox.ArmClient.ContainerGroups.GetAsync(Provisioning.Arm.Resources.ArmResourceId.Parse(result.WorkloadId), CancellationToken.None);
        Assert.True(group!.IsRunning);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(nameof(ProvisioningPhase.Succeeded), (string?)JsonNode.Parse(done.SerializedCustomStatus!)!["phase"]);
    }

    [Fact]
    public async Task A_multi_container_group_in_a_vnet_subnet_is_provisioned_and_runs()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { GrantPropagationDelay = TimeSpan.FromSeconds(1) });

        var done = await sandbox.RunAsync(sandbox.Input(templateYaml: ProvisioningSandbox.PrivateMultiContainerYaml));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.Null(result.Outputs!["fqdn"]);
        var group = await sandbox.ArmClient.ContainerGroups.GetAsync(Provisioning.Arm.Resources.ArmResourceId.Parse(result.WorkloadId), CancellationToken.None);
        Assert.True(group!.IsRunning);
        Assert.Equal(["api", "sidecar"], group.Containers.Select(container => container.Name));
        Assert.DoesNotContain("not-in-logs", done.SerializedCustomStatus, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_request_the_client_sends_is_accepted_by_the_emulators_schema_and_name_checks()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var refused = sandbox.Emulator.GetRequestLog().Where(entry => entry.Status >= 400 && !(entry.Method == "GET" && entry.Status == 404)).ToList();
        Assert.Empty(refused);
    }

    [Fact]
    public async Task The_grant_is_sent_with_principal_type_so_replication_delay_causes_no_PrincipalNotFound()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { PrincipalReplicationDelay = TimeSpan.FromMinutes(5) });
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.DoesNotContain(sandbox.Emulator.GetRequestLog(), entry => entry.ErrorCode == "PrincipalNotFound");
    }

    [Fact]
    public async Task When_the_grant_takes_longer_than_the_first_attempts_the_run_waits_and_deploys_again_until_running()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { GrantPropagationDelay = TimeSpan.FromSeconds(3) });

        var done = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var result = done.ReadOutputAs<ProvisioningResult>()!;
        Assert.True(result.DeploymentAttempts >= 2, $"expected retries, got {result.DeploymentAttempts} attempt(s)");
        Assert.True(result.PhaseSeconds[nameof(ProvisioningPhase.WaitingForGrantPropagation)] > 0);
        var groups = sandbox.Emulator.GetInventory().Where(entry => entry.Type.EndsWith("containerGroups", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Single(groups);
        Assert.Equal("Succeeded", groups[0].ProvisioningState);

        // The failed group was restarted in place (ACI pulls again on a restart), never deleted and created again.
        var log = sandbox.Emulator.GetRequestLog();
        Assert.Equal(result.DeploymentAttempts - 1, log.Count(entry => entry.Method == "POST" && entry.Path.EndsWith("/containerGroups/web/restart", StringComparison.OrdinalIgnoreCase)));
        Assert.Single(log, entry => entry.Method == "PUT" && entry.Path.EndsWith("/containerGroups/web", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(log, entry => entry.Method == "DELETE");
    }

    [Fact]
    public async Task A_permanently_bad_image_fails_and_compensation_leaves_exactly_what_existed_before()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        var before = sandbox.Inventory();
        var timings = ProvisioningSandbox.FastTimings with { ReadinessDeadline = TimeSpan.FromSeconds(3) };

        var done = await sandbox.RunAsync(sandbox.Input(image: "myregistry.azurecr.io/web:does-not-exist", timings: timings));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("still refused", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("compensation deleted 3 resource(s)", done.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
        var status = JsonNode.Parse(done.SerializedCustomStatus!)!;
        Assert.Equal(nameof(ProvisioningPhase.Failed), (string?)status["phase"]);
        Assert.Equal(3, status["compensation"]!["deleted"]!.AsArray().Count);
        Assert.Empty(status["compensation"]!["failed"]!.AsArray());
    }

    [Fact]
    public async Task A_pre_existing_identity_and_grant_are_kept_when_the_run_compensates()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        var first = await sandbox.RunAsync(sandbox.Input(identityName: "shared-puller"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        var identityId = first.ReadOutputAs<ProvisioningResult>()!.IdentityId!;
        var assignmentId = first.ReadOutputAs<ProvisioningResult>()!.RoleAssignmentIds[0];
        using (var deleted = await sandbox.Arm.DeleteAsync(new Uri(sandbox.Emulator.BaseUri, first.ReadOutputAs<ProvisioningResult>()!.WorkloadId + "?api-version=2025-09-01")))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        await WaitUntilGoneAsync(sandbox, "/containerGroups/web");
        var before = sandbox.Inventory();
        var timings = ProvisioningSandbox.FastTimings with { ReadinessDeadline = TimeSpan.FromSeconds(2) };

        var failed = await sandbox.RunAsync(sandbox.Input(image: "myregistry.azurecr.io/web:missing", identityName: "shared-puller", timings: timings));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, failed.RuntimeStatus);
        Assert.Contains("compensation deleted 1 resource(s)", failed.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        var after = sandbox.Inventory();
        Assert.Equal(before, after);
        Assert.Contains(identityId.ToUpperInvariant(), after);
        Assert.Contains(assignmentId.ToUpperInvariant(), after);
    }

    [Fact]
    public async Task Running_the_same_template_again_converges_without_creating_anything()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        var first = await sandbox.RunAsync(sandbox.Input());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        var before = sandbox.Inventory();
        sandbox.Emulator.ClearRequestLog();

        var second = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, second.RuntimeStatus);
        Assert.Empty(second.ReadOutputAs<ProvisioningResult>()!.Created);
        Assert.Equal(before, sandbox.Inventory());
        Assert.DoesNotContain(sandbox.Emulator.GetRequestLog(), entry => entry.Method == "PUT" && entry.Path.Contains("userAssignedIdentities", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_cancel_event_while_waiting_for_the_grant_compensates_everything_the_run_created()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { GrantPropagationDelay = TimeSpan.FromMinutes(10) });
        var before = sandbox.Inventory();
        var id = await sandbox.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionWorkload), sandbox.Input());
        await WaitForPhaseAsync(sandbox, id, ProvisioningPhase.WaitingForGrantPropagation);

        await sandbox.Client.RaiseEventAsync(id, ProvisionWorkload.CancelEventName, "no longer needed");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await sandbox.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("cancelled", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }

    [Fact]
    public async Task An_engine_restart_mid_run_resumes_and_finishes_without_duplicates()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { GrantPropagationDelay = TimeSpan.FromSeconds(4) });
        var id = await sandbox.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionWorkload), sandbox.Input());
        await WaitForPhaseAsync(sandbox, id, ProvisioningPhase.WaitingForGrantPropagation);

        await sandbox.RestartEngineAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var done = await sandbox.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var inventory = sandbox.Emulator.GetInventory();
        Assert.Single(inventory, entry => entry.Type.EndsWith("userAssignedIdentities", StringComparison.OrdinalIgnoreCase));
        Assert.Single(inventory, entry => entry.Type.EndsWith("containerGroups", StringComparison.OrdinalIgnoreCase));
        Assert.Single(inventory, entry => entry.Type.EndsWith("roleAssignments", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Throttling_and_transient_5xx_are_absorbed_and_the_run_completes()
    {
        // A bucket of one: any two reads (or writes) within the refill time meet a 429, however the 5xx retries space
        // the calls out. A larger burst let a slow run finish without ever being throttled, and the test then failed.
        var throttling = new ThrottlingSettings { Enabled = true, ReadBurst = 1, ReadsPerSecond = 2, WriteBurst = 1, WritesPerSecond = 1 };
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { TransientFailureRate = 0.2, Throttling = throttling });

        var done = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Contains(sandbox.Emulator.GetRequestLog(), entry => entry.Status >= 500);
        Assert.Contains(sandbox.Emulator.GetRequestLog(), entry => entry.Status == 429);
    }

    [Fact]
    public async Task A_deployment_that_never_finishes_is_given_up_after_the_operation_timeout_and_compensated()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { ProvisioningDuration = TimeSpan.FromHours(1) });
        var before = sandbox.Inventory();
        var timings = ProvisioningSandbox.FastTimings with { OperationTimeout = TimeSpan.FromSeconds(2) };
        var id = await sandbox.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionWorkload), sandbox.Input(timings: timings));

        // Once the group's create is under way (stuck for an hour), later operations — the compensating delete — are quick again.
        using (var started = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (!sandbox.Emulator.GetInventory().Any(entry => entry.Type.EndsWith("containerGroups", StringComparison.OrdinalIgnoreCase)))
            {
                await Task.Delay(20, started.Token);
            }
        }

        sandbox.Emulator.Faults.Update(faults => faults with { ProvisioningDuration = TimeSpan.FromMilliseconds(100) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await sandbox.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("still in progress after", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, sandbox.Inventory());
    }

    private static async Task WaitForPhaseAsync(ProvisioningSandbox sandbox, string instanceId, ProvisioningPhase phase)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var metadata = await sandbox.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
            if (metadata?.SerializedCustomStatus is { } status && (string?)JsonNode.Parse(status)!["phase"] == phase.ToString())
            {
                return;
            }

            Assert.False(metadata?.IsCompleted, $"The run finished before reaching {phase}: {metadata?.FailureDetails}");
            await Task.Delay(20, timeout.Token);
        }
    }

    private static async Task WaitUntilGoneAsync(ProvisioningSandbox sandbox, string idSuffix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (sandbox.Emulator.GetInventory().Any(entry => entry.Id.EndsWith(idSuffix, StringComparison.OrdinalIgnoreCase)))
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
