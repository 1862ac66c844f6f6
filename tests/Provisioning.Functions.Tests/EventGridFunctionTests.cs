using System.Text.Json.Nodes;

namespace Provisioning.Functions.Tests;

/// <summary><c>POST|OPTIONS /api/events</c>: the shared Event Grid handling behind an HTTP trigger.</summary>
public sealed class EventGridFunctionTests(HttpFunctionsFixture fixture) : IClassFixture<HttpFunctionsFixture>
{
    private async Task<HttpExchange> SendAsync(string method, string? body, string query = "?code=key", string? contentType = "application/json", params (string, string)[] headers)
    {
        var exchange = HttpExchange.Create(method, "/api/events" + query, body, contentType, headers);
        return await exchange.AnswerAsync(await fixture.Events.ProvisioningEvents(exchange.Request, fixture.Client, CancellationToken.None));
    }

    private JsonObject ImagePushed(string id, string tag) => new()
    {
        ["id"] = id,
        ["topic"] = $"/subscriptions/{fixture.Arm.SubscriptionId}/resourceGroups/{ArmSandbox.ResourceGroup}/providers/Microsoft.ContainerRegistry/registries/{ArmSandbox.Registry}",
        ["subject"] = $"hello/web:{tag}",
        ["eventType"] = "Microsoft.ContainerRegistry.ImagePushed",
        ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
        ["dataVersion"] = "1.0",
        ["data"] = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["action"] = "push",
            ["target"] = new JsonObject { ["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json", ["size"] = 524, ["digest"] = "sha256:" + new string('a', 64), ["repository"] = "hello/web", ["tag"] = tag },
            ["request"] = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["host"] = $"{ArmSandbox.Registry}.azurecr.io", ["method"] = "PUT", ["useragent"] = "docker/27" },
        },
    };

    [Fact]
    public async Task The_event_grid_validation_handshake_echoes_the_code_without_a_function_name()
    {
        var validation = new JsonArray(new JsonObject
        {
            ["id"] = "v1",
            ["topic"] = "/subscriptions/x",
            ["subject"] = string.Empty,
            ["eventType"] = "Microsoft.EventGrid.SubscriptionValidationEvent",
            ["eventTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["dataVersion"] = "2",
            ["data"] = new JsonObject { ["validationCode"] = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" },
        });

        var answer = await SendAsync("POST", validation.ToJsonString(), headers: ("aeg-event-type", "SubscriptionValidation"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (string?)answer.Json["validationResponse"]);
    }

    [Fact]
    public async Task The_cloudevents_options_handshake_grants_the_origin()
    {
        var answer = await SendAsync("OPTIONS", null, contentType: null, headers: ("WebHook-Request-Origin", "eventgrid.azure.net"));

        Assert.Equal(200, answer.Status);
        Assert.Equal("eventgrid.azure.net", answer.Headers["WebHook-Allowed-Origin"].ToString());
        Assert.Equal("*", answer.Headers["WebHook-Allowed-Rate"].ToString());
        Assert.Equal("POST", answer.Headers.Allow.ToString());
    }

    [Fact]
    public async Task An_image_push_a_shipped_rule_wants_starts_one_run_and_a_repeat_starts_none()
    {
        var delivery = new JsonArray(ImagePushed("push-" + Guid.NewGuid().ToString("N"), "2.0")).ToJsonString();

        var first = await SendAsync("POST", delivery, headers: ("aeg-event-type", "Notification"));
        var again = await SendAsync("POST", delivery, headers: ("aeg-event-type", "Notification"));

        Assert.Equal(200, first.Status);
        var started = (string)Assert.Single(first.Json["started"]!.AsArray())!;
        Assert.NotNull(await fixture.Client.GetInstanceAsync(started));
        Assert.Equal(200, again.Status);
        Assert.Empty(again.Json["started"]!.AsArray());
        Assert.Equal(started, (string?)Assert.Single(again.Json["duplicates"]!.AsArray()));
    }

    public static TheoryData<string, string, int, string> BadDeliveries => new()
    {
        { "[]", "?code=key", 400, "empty array" },
        { "[{}]", "?code=key", 400, "no known schema" },
        { "not json", "?code=key", 400, "not valid JSON" },
        { """[{"id":"1","eventType":"Microsoft.ContainerRegistry.ImagePushed","subject":"a:b","dataVersion":"1","eventTime":"yesterday","data":{}}]""", "?code=key", 400, "RFC 3339" },
        { """[{"id":"1","eventType":"x","subject":"","dataVersion":"1","eventTime":"2026-01-01T00:00:00Z","data":{}}]""", "?functionName=Elsewhere&code=key", 404, "no Event Grid function named 'Elsewhere'" },
    };

    [Theory]
    [MemberData(nameof(BadDeliveries))]
    public async Task A_bad_delivery_is_refused_with_a_reason(string body, string query, int expected, string named)
    {
        var answer = await SendAsync("POST", body, query);

        Assert.Equal(expected, answer.Status);
        Assert.Contains(named, (string?)answer.Json["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_failure_while_handling_is_500_without_internals_so_event_grid_retries()
    {
        var delivery = new JsonArray(ImagePushed("push-" + Guid.NewGuid().ToString("N"), "2.1")).ToJsonString();
        var exchange = HttpExchange.Create("POST", "/api/events?code=key", delivery, "application/json", ("aeg-event-type", "Notification"));

        var answer = await exchange.AnswerAsync(await fixture.Events.ProvisioningEvents(exchange.Request, new ThrowingDurableClient(), CancellationToken.None));

        Assert.Equal(500, answer.Status);
        Assert.Contains("Event Grid delivers it again", (string?)answer.Json["detail"], StringComparison.Ordinal);
        Assert.DoesNotContain(ThrowingDurableClient.Secret, answer.Json.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_media_type_is_415()
    {
        var answer = await SendAsync("POST", "<events/>", contentType: "application/xml");

        Assert.Equal(415, answer.Status);
    }

    [Fact]
    public async Task The_function_name_may_be_given_and_then_must_be_this_function()
    {
        var answer = await SendAsync("OPTIONS", null, "?functionName=ProvisioningEvents&code=key", contentType: null, headers: ("WebHook-Request-Origin", "eventgrid.azure.net"));

        Assert.Equal(200, answer.Status);
    }
}
