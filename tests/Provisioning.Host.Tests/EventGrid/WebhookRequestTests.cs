using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.EventGrid;
using static Provisioning.Host.Tests.EventGrid.SampleEvents;

namespace Provisioning.Host.Tests.EventGrid;

/// <summary>One host for the handshakes, the keys and the corpus of malformed requests: none of them may start a run.</summary>
public sealed class WebhookHostFixture : IAsyncLifetime
{
    internal EventGridHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await EventGridHost.StartAsync();

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Host.DeleteData();
    }
}

public sealed class WebhookRequestTests(WebhookHostFixture fixture) : IClassFixture<WebhookHostFixture>
{
    private EventGridHost Host => fixture.Host;

    [Fact]
    public async Task The_event_grid_validation_handshake_echoes_the_code()
    {
        using var response = await Host.PostAsync(Array(Validation("512d38b6-c7b8-40c8-89fe-f46f9e9622b6")), headers: ("aeg-event-type", "SubscriptionValidation"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await EventGridHost.ReadJsonAsync(response);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (string?)body["validationResponse"]);
        Assert.Empty(await Host.InstancesAsync());
    }

    [Fact]
    public async Task The_cloudevents_options_handshake_grants_the_origin()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, EventGridHost.Webhook());
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        request.Headers.Add("WebHook-Request-Rate", "120");

        using var response = await Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("eventgrid.azure.net", Assert.Single(response.Headers.GetValues("WebHook-Allowed-Origin")));
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("WebHook-Allowed-Rate")));
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task An_options_request_without_an_origin_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, EventGridHost.Webhook());

        using var response = await Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebHook-Request-Origin", (string?)(await EventGridHost.ReadJsonAsync(response))["detail"], StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("WebHook-Allowed-Origin"));
    }

    [Fact]
    public async Task Both_handshakes_pass_when_the_emulator_subscribes_the_webhook()
    {
        foreach (var schema in new[] { EventDeliverySchema.EventGridSchema, EventDeliverySchema.CloudEventSchemaV1_0 })
        {
            var subscription = await Host.Emulator.EventSubscriptions.CreateOrUpdateAsync(new EventSubscription
            {
                Name = "handshake-" + schema,
                Endpoint = new Uri(Host.BaseAddress, EventGridHost.Webhook()),
                Schema = schema,
                IncludedEventTypes = ["Microsoft.EventGrid.Nothing"],
            });

            Assert.Equal(("Succeeded", null), (subscription.ProvisioningState, subscription.Error));
        }
    }

    public static TheoryData<string, string?> WrongKeys => new()
    {
        { "POST", null },
        { "POST", "not-the-key" },
        { "POST", LoopbackHost.FunctionKey },
        { "OPTIONS", null },
        { "OPTIONS", "not-the-key" },
        { "OPTIONS", LoopbackHost.FunctionKey },
    };

    [Theory]
    [MemberData(nameof(WrongKeys))]
    public async Task Without_the_system_key_the_webhook_answers_401_and_starts_nothing(string method, string? key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), EventGridHost.Webhook(key));
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        if (method == "POST")
        {
            request.Content = LoopbackHost.Json(Array(ImagePushed("key-test", Host.SubscriptionId)));
        }

        using var response = await Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("WebHook-Allowed-Origin"));
        Assert.Empty(await Host.InstancesAsync());
    }

    [Fact]
    public async Task The_key_is_accepted_in_the_header_too()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, EventGridHost.Webhook(key: null)) { Content = LoopbackHost.Json(Array(ImagePushed("header-key", tag: "9.9", subscription: Host.SubscriptionId, data: PushData(repository: "other")))) };
        request.Headers.Add("x-functions-key", LoopbackHost.SystemKey);

        using var response = await Host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string?> WellFormedButUnwanted => new()
    {
        { Array(ImagePushed("unwanted-repo", data: PushData(repository: "other/app"))), null },
        { Array(ImagePushed("unwanted-digest-only", data: PushData(tag: null))), null },
        { Array(With(ResourceEvent("unwanted-resource", "Microsoft.Resources.ResourceWriteSuccess", $"/subscriptions/{Subscription}/resourceGroups/rg-x/providers/Microsoft.Storage/storageAccounts/st1"), "eventType", "Microsoft.Resources.ResourceWriteSuccess")), null },
        { Array(With(ImagePushed("unwanted-type"), "eventType", "Microsoft.ContainerRegistry.ImageDeleted")), null },
        { Array(With(ImagePushed("unwanted-custom"), "eventType", "Contoso.Items.ItemReceived")), null },
        { With(CloudImagePushed("unwanted-cloud"), "type", "Contoso.Items.ItemReceived").ToJsonString(), "application/cloudevents+json" },
    };

    [Theory]
    [MemberData(nameof(WellFormedButUnwanted))]
    public async Task A_well_formed_event_no_rule_wants_is_acknowledged_and_starts_nothing(string body, string? contentType)
    {
        using var response = await Host.PostAsync(body, contentType ?? "application/json", headers: ("aeg-event-type", "Notification"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = await EventGridHost.ReadJsonAsync(response);
        Assert.Single(outcome["unmatched"]!.AsArray());
        Assert.Empty(outcome["started"]!.AsArray());
        Assert.Empty(await Host.InstancesAsync());
    }

    [Theory]
    [MemberData(nameof(MalformedRequests.Corpus), MemberType = typeof(MalformedRequests))]
    public async Task A_malformed_request_gets_a_4xx_naming_the_problem_and_starts_nothing(string name)
    {
        var request = MalformedRequests.Cases[name];
        using var response = await Host.PostAsync(request.Body(Host.SubscriptionId), request.ContentType, request.Url, [.. request.Headers]);

        Assert.True(request.Status == response.StatusCode, $"{name}: expected {request.Status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var problem = await EventGridHost.ReadJsonAsync(response);
        var detail = (string?)problem["detail"] ?? string.Empty;
        Assert.True(detail.Contains(request.Named, StringComparison.Ordinal), $"{name}: '{detail}' does not contain '{request.Named}'");
        Assert.Empty(await Host.InstancesAsync());
    }

    [Fact]
    public void The_corpus_holds_at_least_fifty_malformed_requests() => Assert.True(MalformedRequests.Cases.Count >= 50, $"{MalformedRequests.Cases.Count} cases");
}
