using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Orchestrations;

namespace Provisioning.EndToEnd.Tests;

/// <summary>
/// Answers to the deploy PUT that mean "later", not "never": a group that is changing state
/// (<c>409 ContainerGroupTransitioning</c>) and a region without capacity (<c>409 ServiceUnavailable</c>) are retried,
/// not compensated.
/// </summary>
public sealed class DeployRetryTests
{
    private static readonly FaultSettings QuickAzure = new()
    {
        PrincipalReplicationDelay = TimeSpan.Zero,
        GrantPropagationDelay = TimeSpan.Zero,
        ProvisioningDuration = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task A_PUT_refused_because_the_group_is_transitioning_is_retried_until_the_group_settles()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        var first = await sandbox.RunAsync(sandbox.Input());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        var groupId = first.ReadOutputAs<ProvisioningResult>()!.WorkloadId;

        // A restart that takes a while: the next run's PUT arrives while the group is still restarting.
        sandbox.Emulator.Faults.Update(faults => faults with { ProvisioningDuration = TimeSpan.FromSeconds(2) });
        using var restart = await sandbox.Arm.PostAsync($"{groupId}/restart?api-version=2025-09-01", null);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, restart.StatusCode);
        sandbox.Emulator.ClearRequestLog();

        var second = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, second.RuntimeStatus);
        Assert.Contains(sandbox.Emulator.GetRequestLog(), entry => entry is { Method: "PUT", Status: 409, ErrorCode: "ContainerGroupTransitioning" });
        Assert.True((await sandbox.ArmClient.ContainerGroups.GetAsync(ArmResourceId.Parse(groupId), CancellationToken.None))!.IsRunning);
    }

    [Fact]
    public async Task A_region_without_capacity_is_waited_out_with_a_status_naming_the_region_and_nothing_is_compensated()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { RegionsWithoutCapacity = ["westeurope"] });
        var timings = ProvisioningSandbox.FastTimings with
        {
            CapacityRetryFirstInterval = TimeSpan.FromMilliseconds(500),
            CapacityRetryMaxInterval = TimeSpan.FromSeconds(1),
            CapacityRetryTimeout = TimeSpan.FromMinutes(1),
        };
        var id = await sandbox.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionWorkload), sandbox.Input(timings: timings));

        var status = await WaitForStatusAsync(sandbox, id, message => message.Contains("No capacity in region 'westeurope'", StringComparison.Ordinal));
        Assert.Equal(nameof(ProvisioningPhase.Deploying), (string?)status["phase"]);
        Assert.NotNull(status["nextRetryAt"]);

        sandbox.Emulator.Faults.Update(faults => faults with { RegionsWithoutCapacity = [] });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await sandbox.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Contains(sandbox.Emulator.GetRequestLog(), entry => entry is { Method: "PUT", Status: 409, ErrorCode: "ServiceUnavailable" });
        Assert.DoesNotContain(sandbox.Emulator.GetRequestLog(), entry => entry.Method == "DELETE");
    }

    [Fact]
    public async Task The_first_poll_waits_for_the_Retry_After_of_the_PUT_and_one_poll_suffices()
    {
        // The emulator answers the PUT with Retry-After: 1 and finishes in 300 ms.
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure);
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        var log = sandbox.Emulator.GetRequestLog();
        var put = log.Single(entry => entry.Method == "PUT" && entry.Path.Contains("/containerGroups/", StringComparison.OrdinalIgnoreCase));
        var polls = log.Where(entry => entry.Method == "GET" && entry.Path.Contains("/Microsoft.ContainerInstance/locations/", StringComparison.OrdinalIgnoreCase)).ToList();
        var poll = Assert.Single(polls);
        Assert.True(poll.Time - put.Time >= TimeSpan.FromSeconds(0.9), $"The first poll came {(poll.Time - put.Time).TotalSeconds:0.00} s after the PUT.");
    }

    [Fact]
    public async Task A_quota_error_is_permanent_names_the_quota_and_compensates_at_once()
    {
        await using var sandbox = await ProvisioningSandbox.StartAsync(QuickAzure with { RegionsOverQuota = ["westeurope"] });
        var before = sandbox.Inventory();
        sandbox.Emulator.ClearRequestLog();

        var done = await sandbox.RunAsync(sandbox.Input());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.Contains("quota 'StandardCores' exceeded in region 'westeurope'", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(sandbox.Emulator.GetRequestLog(), entry => entry is { Method: "PUT", ErrorCode: "ContainerGroupQuotaReached" });
        Assert.Equal(before, sandbox.Inventory());
    }

    private static async Task<JsonNode> WaitForStatusAsync(ProvisioningSandbox sandbox, string instanceId, Func<string, bool> message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var metadata = await sandbox.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
            if (metadata?.SerializedCustomStatus is { } text && JsonNode.Parse(text) is { } status && (string?)status["message"] is { } said && message(said))
            {
                return status;
            }

            Assert.False(metadata?.IsCompleted, $"The run finished first: {metadata?.RuntimeStatus} {metadata?.FailureDetails}");
            await Task.Delay(20, timeout.Token);
        }
    }
}
