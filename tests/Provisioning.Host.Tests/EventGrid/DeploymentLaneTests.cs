using System.Net;
using System.Text.Json.Nodes;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;
using Provisioning.Orchestrations;
using Provisioning.Rules;
using static Provisioning.Host.Tests.EventGrid.SampleEvents;

namespace Provisioning.Host.Tests.EventGrid;

/// <summary>
/// Pushes for one container group make runs that take turns, newest event wins: deployments never overlap (one's
/// compensation would delete what the other deploys), and an older push never replaces a newer image.
/// </summary>
public sealed class DeploymentLaneTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    // Runs that finish in about a second: the sandbox's directory and grants are quick, and so are the polls and backoffs.
    private static readonly string[] FastTimings =
    [
        "--Provisioning:Sandbox:PrincipalReplicationDelay", "00:00:00.2",
        "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:00.3",
        "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
        "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.2",
        "--Provisioning:Timings:PrincipalRetryFirstInterval", "00:00:00.2",
        "--Provisioning:Timings:TransientFirstInterval", "00:00:00.2",
    ];
    private EventGridHost? _host;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
            _host.DeleteData();
        }
    }

    [Fact]
    public async Task A_burst_of_pushes_within_the_settle_delay_deploys_once_with_the_newest_image()
    {
        _host = await EventGridHost.StartAsync(settleDelay: "00:00:01", settings: FastTimings);
        var tags = new[] { "5.0", "5.1", "5.2", "5.3", "5.4" };

        // Delivered newest first, one event per request, as concurrent deliveries may arrive.
        var started = new List<string>();
        foreach (var (tag, minute) in tags.Select((tag, i) => (tag, i)).Reverse())
        {
            Assert.NotNull(_host.Emulator.PushImage("sandboxacr", "hello/web", tag));
            using var response = await _host.PostAsync(Array(Push($"burst-{tag}", tag, Start.AddMinutes(minute))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            started.Add((string)Assert.Single((await EventGridHost.ReadJsonAsync(response))["started"]!.AsArray())!);
        }

        var results = await CompleteAllAsync(started);

        var deployed = Assert.Single(results, r => r.Result.SupersededBy is null);
        Assert.Equal(started[0], deployed.Id);
        Assert.All(results.Where(r => r.Id != deployed.Id), r => Assert.Equal(started[0], r.Result.SupersededBy));
        Assert.All(results.Where(r => r.Id != deployed.Id), r => Assert.Empty(r.Result.Created));
        Assert.Equal("sandboxacr.azurecr.io/hello/web:5.4", await DeployedImageAsync());
    }

    [Fact]
    public async Task A_push_while_the_previous_one_deploys_waits_for_it_and_then_deploys()
    {
        _host = await EventGridHost.StartAsync(settings: FastTimings);
        Assert.NotNull(_host.Emulator.PushImage("sandboxacr", "hello/web", "6.0"));
        Assert.NotNull(_host.Emulator.PushImage("sandboxacr", "hello/web", "6.1"));

        using var first = await _host.PostAsync(Array(Push("wait-6.0", "6.0", Start)));
        var firstId = (string)Assert.Single((await EventGridHost.ReadJsonAsync(first))["started"]!.AsArray())!;
        await EventGridHost.WaitUntilAsync(async () => (await _host.Client.GetInstanceAsync(firstId))?.RuntimeStatus == OrchestrationRuntimeStatus.Running, "the first run is running");
        using var second = await _host.PostAsync(Array(Push("wait-6.1", "6.1", Start.AddMinutes(1))));
        var secondId = (string)Assert.Single((await EventGridHost.ReadJsonAsync(second))["started"]!.AsArray())!;

        var results = await CompleteAllAsync([firstId, secondId]);

        Assert.All(results, r => Assert.Null(r.Result.SupersededBy));
        var firstDone = (await _host.Client.GetInstanceAsync(firstId))!.LastUpdatedAt;
        var secondHistory = await _host.Client.GetOrchestrationHistoryAsync(secondId);
        var secondBegan = new DateTimeOffset(secondHistory.OfType<TaskScheduledEvent>().First(e => e.Name == "CheckRegistryPrerequisites").Timestamp, TimeSpan.Zero);
        Assert.True(secondBegan >= firstDone, $"The second run began its work at {secondBegan:O}, before the first finished at {firstDone:O}.");
        Assert.Equal("sandboxacr.azurecr.io/hello/web:6.1", await DeployedImageAsync());
    }

    [Fact]
    public async Task An_older_push_delivered_after_a_newer_one_deployed_is_superseded_and_changes_nothing()
    {
        _host = await EventGridHost.StartAsync(settings: FastTimings);
        Assert.NotNull(_host.Emulator.PushImage("sandboxacr", "hello/web", "7.1"));
        using var newer = await _host.PostAsync(Array(Push("late-7.1", "7.1", Start.AddMinutes(1))));
        var newerId = (string)Assert.Single((await EventGridHost.ReadJsonAsync(newer))["started"]!.AsArray())!;
        await CompleteAllAsync([newerId]);

        using var older = await _host.PostAsync(Array(Push("late-7.0", "7.0", Start)));
        var olderId = (string)Assert.Single((await EventGridHost.ReadJsonAsync(older))["started"]!.AsArray())!;
        var result = Assert.Single(await CompleteAllAsync([olderId]));

        Assert.Equal(newerId, result.Result.SupersededBy);
        Assert.True(string.CompareOrdinal(olderId, newerId) < 0, "Ids of one workload sort in event-time order.");
        Assert.StartsWith(RunIds.WorkloadPrefix(_host.SubscriptionId, "rg-sandbox", "web"), olderId, StringComparison.Ordinal);
        Assert.Equal("sandboxacr.azurecr.io/hello/web:7.1", await DeployedImageAsync());
    }

    private string Push(string id, string tag, DateTimeOffset time)
    {
        var push = ImagePushed(id, _host!.SubscriptionId, tag);
        push["eventTime"] = time.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return new JsonArray(push).ToJsonString();
    }

    private static string Array(string events) => events;

    private async Task<List<(string Id, ProvisioningResult Result)>> CompleteAllAsync(IEnumerable<string> ids)
    {
        var results = new List<(string, ProvisioningResult)>();
        foreach (var id in ids)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var done = await _host!.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
            Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{id}: {done.RuntimeStatus} {done.FailureDetails?.ErrorMessage}");
            results.Add((id, done.ReadOutputAs<ProvisioningResult>()!));
        }

        return results;
    }

    private async Task<string?> DeployedImageAsync()
    {
        using var response = await _host!.ArmAsync(HttpMethod.Get, $"/subscriptions/{_host.SubscriptionId}/resourceGroups/rg-sandbox/providers/Microsoft.ContainerInstance/containerGroups/web?api-version=2025-09-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var group = await EventGridHost.ReadJsonAsync(response);
        return (string?)group["properties"]!["containers"]![0]!["properties"]!["image"];
    }
}
