using System.Net;
using System.Text.Json.Nodes;
using Provisioning.Host.Tests.EventGrid;
using static Provisioning.Host.Tests.EventGrid.SampleEvents;

namespace Provisioning.Host.Tests.Doors;

/// <summary>A host whose CloudEvents handshake allows Event Grid and one partner origin.</summary>
public sealed class BatchDoorFixture : IAsyncLifetime
{
    public const string Partner = "partner.example.com";

    internal EventGridHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await EventGridHost.StartAsync(settings: ["--Provisioning:EventGrid:AllowedOrigins", $"eventgrid.azure.net, {Partner}"]);

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Host.DeleteData();
    }
}

/// <summary>Issue 16 §4: each event of a batch is accepted or refused on its own; the CloudEvents origin policy.</summary>
public sealed class BatchDoorTests(BatchDoorFixture fixture) : IClassFixture<BatchDoorFixture>
{
    private EventGridHost Host => fixture.Host;

    public static TheoryData<string, string> BatchesWithOneBadEvent => new()
    {
        { "event grid: second has no id", "Event [1] has no 'id'" },
        { "cloudevents: second has an empty source", "Event [1] has an empty 'source'" },
        { "mixed schemas", "Event [1] is in another schema" },
        { "second is not an object", "Event [1] is not a JSON object" },
        { "second push without a repository", "data.target.repository" },
    };

    [Theory]
    [MemberData(nameof(BatchesWithOneBadEvent))]
    public async Task A_bad_event_in_a_batch_is_refused_alone_and_the_good_one_starts(string name, string named)
    {
        var good = "good-" + Guid.NewGuid().ToString("N");
        var tag = $"3.{Math.Abs(name.GetHashCode(StringComparison.Ordinal)) % 1000}";
        var sub = Host.SubscriptionId;
        var (body, contentType) = name switch
        {
            "event grid: second has no id" => (new JsonArray(ImagePushed(good, sub, tag), With(ImagePushed("x", sub), "id", null, remove: true)).ToJsonString(), "application/json"),
            "cloudevents: second has an empty source" => (new JsonArray(CloudImagePushed(good, sub, tag), With(CloudImagePushed("bad-" + good, sub), "source", "")).ToJsonString(), "application/cloudevents-batch+json"),
            "mixed schemas" => (new JsonArray(ImagePushed(good, sub, tag), CloudImagePushed("bad-" + good, sub)).ToJsonString(), "application/json"),
            "second is not an object" => (new JsonArray(ImagePushed(good, sub, tag), 42).ToJsonString(), "application/json"),
            _ => (new JsonArray(ImagePushed(good, sub, tag), WithData(ImagePushed("bad-" + good, sub), "target.repository", null)).ToJsonString(), "application/json"),
        };

        using var response = await Host.PostAsync(body, contentType, headers: ("aeg-event-type", "Notification"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = await EventGridHost.ReadJsonAsync(response);
        Assert.Equal(2, (int)outcome["received"]!);
        var started = (string)Assert.Single(outcome["started"]!.AsArray())!;
        Assert.NotNull(await Host.Client.GetInstanceAsync(started));
        var refused = Assert.Single(outcome["refused"]!.AsArray())!;
        Assert.Equal(1, (int)refused["index"]!);
        Assert.Contains(named, (string?)refused["reason"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eventgrid.azure.net")]
    [InlineData("EventGrid.Azure.NET")]
    [InlineData(BatchDoorFixture.Partner)]
    public async Task The_cloudevents_handshake_grants_an_allowed_origin(string origin)
    {
        using var response = await OptionsAsync(origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, Assert.Single(response.Headers.GetValues("WebHook-Allowed-Origin")));
    }

    [Theory]
    [InlineData("evil.example.com")]
    [InlineData("*")]
    [InlineData("eventgrid.azure.net.evil.example.com")]
    public async Task The_cloudevents_handshake_refuses_another_origin(string origin)
    {
        using var response = await OptionsAsync(origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("WebHook-Allowed-Origin"));
        Assert.Contains("Provisioning:EventGrid:AllowedOrigins", (string?)(await EventGridHost.ReadJsonAsync(response))["detail"], StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> OptionsAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, EventGridHost.Webhook());
        request.Headers.Add("WebHook-Request-Origin", origin);
        return await Host.Http.SendAsync(request);
    }
}

/// <summary>The origin policy's defaults, without a host.</summary>
public sealed class AllowedOriginTests
{
    [Fact]
    public void By_default_only_event_grid_is_allowed_and_a_star_only_when_configured()
    {
        var defaults = new Provisioning.EventGrid.EventGridTriggerOptions();
        Assert.True(defaults.AllowsOrigin("eventgrid.azure.net"));
        Assert.False(defaults.AllowsOrigin("example.com"));
        Assert.False(defaults.AllowsOrigin("*"));

        var any = new Provisioning.EventGrid.EventGridTriggerOptions { AllowedOrigins = "*" };
        Assert.True(any.AllowsOrigin("example.com"));
    }
}
