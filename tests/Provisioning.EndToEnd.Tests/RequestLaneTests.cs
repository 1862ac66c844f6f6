using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Orchestrations;
using Provisioning.Rules;
using Provisioning.Runs;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests;

/// <summary>
/// A run started by a request (HTTP) joins the lane of the event-started runs of the same workload: it waits its turn
/// instead of deploying the same container group at the same time (one's compensation could delete the other's group).
/// </summary>
public sealed class RequestLaneTests
{
    [Fact]
    public async Task A_run_started_by_a_request_waits_for_the_going_event_run_of_the_same_workload()
    {
        // Slow provisioning keeps the event's run deploying long enough to see the request's run queue behind it.
        await using var sandbox = await ProvisioningSandbox.StartAsync(new FaultSettings
        {
            PrincipalReplicationDelay = TimeSpan.Zero,
            GrantPropagationDelay = TimeSpan.Zero,
            ProvisioningDuration = TimeSpan.FromSeconds(3),
        });
        var catalog = TemplateCatalog.From([TemplateLoader.Parse(ProvisioningSandbox.TemplateYaml, "web.yaml")]);
        var starter = new ProvisioningStarter(catalog, sandbox.Client, ProvisioningSandbox.FastTimings);
        var parameters = new Dictionary<string, JsonNode?> { ["image"] = ProvisioningSandbox.Image, ["registryId"] = sandbox.RegistryId };
        var target = new TemplateTarget(sandbox.Emulator.SubscriptionId, ProvisioningSandbox.ResourceGroup, "westeurope");
        var lane = RunIds.WorkloadPrefix(target.SubscriptionId, target.ResourceGroupName, "web");

        var eventTime = DateTimeOffset.UtcNow;
        var eventRun = RunIds.For(target.SubscriptionId, target.ResourceGroupName, "web", new RunCause("event-1", "/registry", eventTime));
        Assert.True(await starter.StartOnceAsync(starter.Bind("web", parameters, target), eventRun, new DeploymentLane(lane, eventTime)));
        await WaitForPhaseAsync(sandbox, eventRun, ProvisioningPhase.Deploying);

        var requestRun = await starter.StartAsync("web", parameters, target);

        Assert.StartsWith(lane, requestRun, StringComparison.Ordinal);
        await WaitForPhaseAsync(sandbox, requestRun, ProvisioningPhase.Queued);
        Assert.False((await sandbox.Client.GetInstanceAsync(eventRun))!.IsCompleted);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var first = await sandbox.Client.WaitForInstanceCompletionAsync(eventRun, getInputsAndOutputs: true, timeout.Token);
        var second = await sandbox.Client.WaitForInstanceCompletionAsync(requestRun, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, first.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, second.RuntimeStatus);
        Assert.Null(second.ReadOutputAs<ProvisioningResult>()!.SupersededBy);
        Assert.True(second.LastUpdatedAt >= first.LastUpdatedAt);
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
}
