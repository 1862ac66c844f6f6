using System.Net;
using System.Text.Json.Nodes;
using Provisioning.Rules;
using static Provisioning.Host.Tests.EventGrid.SampleEvents;

namespace Provisioning.Host.Tests.EventGrid;

/// <summary>Event Grid delivers at least once: an event id starts at most one run, however often and whenever it arrives.</summary>
public sealed class DuplicateDeliveryTests : IAsyncLifetime
{
    private EventGridHost _host = null!;

    public async Task InitializeAsync() => _host = await EventGridHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteData();
    }

    private string Prefix => RunIds.ResourceGroupPrefix(_host.SubscriptionId, "rg-sandbox");

    [Fact]
    public async Task A_push_starts_one_run_with_the_image_and_its_redelivery_starts_none()
    {
        var push = Array(ImagePushed("push-1", _host.SubscriptionId, tag: "2.0"));

        using var first = await _host.PostAsync(push, headers: ("aeg-event-type", "Notification"));
        using var again = await _host.PostAsync(push, headers: ("aeg-event-type", "Notification"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, again.StatusCode));
        var started = Assert.Single((await EventGridHost.ReadJsonAsync(first))["started"]!.AsArray());
        var duplicate = Assert.Single((await EventGridHost.ReadJsonAsync(again))["duplicates"]!.AsArray());
        Assert.Equal((string?)started, (string?)duplicate);
        var run = Assert.Single(await _host.InstancesAsync(Prefix));
        var eventTime = DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(RunIds.For(_host.SubscriptionId, "rg-sandbox", "web", new RunCause("push-1", RegistryId(_host.SubscriptionId), eventTime)), run.InstanceId);
        Assert.Matches(@"^[0-9a-f-]{36}:rg-sandbox:web:20261123T1000000000000Z-[0-9a-f]{32}$", run.InstanceId);

        // The id works in the Durable HTTP API's routes, and the run deploys the pushed image.
        using var status = await _host.Http.GetAsync(LoopbackHost.Webhook($"instances/{run.InstanceId}"));
        Assert.True(status.StatusCode is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{status.StatusCode}");
        var body = await EventGridHost.ReadJsonAsync(status);
        Assert.Equal(run.InstanceId, (string?)body["instanceId"]);
        Assert.Contains("sandboxacr.azurecr.io/hello/web:2.0", body["input"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_start_one_run()
    {
        var push = Array(ImagePushed("push-concurrent", _host.SubscriptionId, tag: "3.0"));

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _host.PostAsync(push)));

        var outcomes = new List<JsonObject>();
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            outcomes.Add(await EventGridHost.ReadJsonAsync(response));
            response.Dispose();
        }

        Assert.Equal(1, outcomes.Sum(o => o["started"]!.AsArray().Count));
        Assert.Equal(11, outcomes.Sum(o => o["duplicates"]!.AsArray().Count));
        Assert.Single(await _host.InstancesAsync(Prefix));
    }

    [Fact]
    public async Task A_batch_with_repeated_events_starts_one_run_per_event_id()
    {
        var batch = Array(ImagePushed("b-1", _host.SubscriptionId, "4.0"), ImagePushed("b-2", _host.SubscriptionId, "4.1"), ImagePushed("b-1", _host.SubscriptionId, "4.0"));

        using var response = await _host.PostAsync(batch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await EventGridHost.ReadJsonAsync(response))["started"]!.AsArray().Count);
        Assert.Equal(2, (await _host.InstancesAsync(Prefix)).Count);
    }

    [Fact]
    public async Task CloudEvents_single_and_batch_start_runs_the_same_way()
    {
        using var single = await _host.PostAsync(CloudImagePushed("ce-1", _host.SubscriptionId, "5.0").ToJsonString(), EventBatchMediaTypes.Single);
        using var batch = await _host.PostAsync(
            new JsonArray(CloudImagePushed("ce-1", _host.SubscriptionId, "5.0"), CloudImagePushed("ce-2", _host.SubscriptionId, "5.1")).ToJsonString(), EventBatchMediaTypes.Batch);
        using var plain = await _host.PostAsync(new JsonArray(CloudImagePushed("ce-3", _host.SubscriptionId, "5.2")).ToJsonString());

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (single.StatusCode, batch.StatusCode, plain.StatusCode));
        Assert.Single((await EventGridHost.ReadJsonAsync(batch))["duplicates"]!.AsArray());
        Assert.Equal(3, (await _host.InstancesAsync(Prefix)).Count);
    }

    [Fact]
    public async Task A_redelivery_after_a_restart_on_the_same_data_starts_nothing()
    {
        var push = Array(ImagePushed("push-restart", _host.SubscriptionId, tag: "6.0"));
        using (var first = await _host.PostAsync(push))
        {
            Assert.Single((await EventGridHost.ReadJsonAsync(first))["started"]!.AsArray());
        }

        var data = _host.DataDirectory;
        await _host.DisposeAsync();
        _host = await EventGridHost.StartAsync(data);

        using var again = await _host.PostAsync(Array(ImagePushed("push-restart", _host.SubscriptionId, tag: "6.0")));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var outcome = await EventGridHost.ReadJsonAsync(again);
        Assert.Empty(outcome["started"]!.AsArray());
        Assert.Single(outcome["duplicates"]!.AsArray());
        Assert.Single(await _host.InstancesAsync(Prefix));
    }

    [Fact]
    public async Task A_push_into_a_group_that_does_not_exist_is_acknowledged_and_skipped()
    {
        using var response = await _host.PostAsync(Array(ImagePushed("push-elsewhere", Subscription, tag: "7.0")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var skipped = (string?)Assert.Single((await EventGridHost.ReadJsonAsync(response))["skipped"]!.AsArray());
        Assert.Contains("'rg-sandbox' does not exist", skipped, StringComparison.Ordinal);
        Assert.Empty(await _host.InstancesAsync());
    }
}

/// <summary>The CloudEvents media types.</summary>
internal static class EventBatchMediaTypes
{
    public const string Single = "application/cloudevents+json";
    public const string Batch = "application/cloudevents-batch+json";
}
