using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Tests;

public sealed class BadRequestTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly LoopbackHost _host = fixture.Host;

    public static TheoryData<string, string, string?, string?, HttpStatusCode, string> Requests => new()
    {
        { "POST", "orchestrators/NoSuchOrchestrator", "{}", "application/json", HttpStatusCode.BadRequest, "NoSuchOrchestrator" },
        { "POST", "orchestrators/HelloSequence", "{\"cities\": [", "application/json", HttpStatusCode.BadRequest, "not valid JSON" },
        { "POST", "orchestrators/HelloSequence", "cities=Oslo", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "application/json" },
        { "GET", "instances?runtimeStatus=Sleeping", null, null, HttpStatusCode.BadRequest, "Sleeping" },
        { "GET", "instances?createdTimeFrom=yesterday", null, null, HttpStatusCode.BadRequest, "createdTimeFrom" },
        { "GET", "instances?top=0", null, null, HttpStatusCode.BadRequest, "top" },
        { "GET", "instances/x?showHistory=maybe", null, null, HttpStatusCode.BadRequest, "showHistory" },
        { "DELETE", "instances", null, null, HttpStatusCode.BadRequest, "createdTimeFrom" },
        { "DELETE", "instances?createdTimeFrom=2026-01-01T00:00:00Z&runtimeStatus=Running", null, null, HttpStatusCode.BadRequest, "Running" },
        { "GET", "instances/does-not-exist", null, null, HttpStatusCode.NotFound, "does-not-exist" },
        { "POST", "instances/does-not-exist/terminate", null, null, HttpStatusCode.NotFound, "does-not-exist" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Bad_input_gets_a_4xx_naming_the_problem_and_starts_nothing(
        string method, string path, string? body, string? contentType, HttpStatusCode expected, string named)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), LoopbackHost.Webhook(path));
        if (body is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType!);
        }

        using var response = await _host.Http.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains(named, (string?)problem["detail"], StringComparison.Ordinal);
        var instances = await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances"));
        Assert.Empty(instances!);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        var huge = "{\"cities\":[\"" + new string('x', 2 * 1024 * 1024) + "\"]}";
        using var response = await _host.Http.PostAsync(LoopbackHost.Webhook("orchestrators/HelloSequence"), LoopbackHost.Json(huge));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty((await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances")))!);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData(LoopbackHost.FunctionKey)]
    public async Task Runtime_webhooks_need_the_system_key(string? key)
    {
        using var response = await _host.Http.PostAsync(LoopbackHost.Webhook("orchestrators/HelloSequence", key), LoopbackHost.Json("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty((await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances")))!);
    }

    [Fact]
    public async Task The_key_is_accepted_in_the_x_functions_key_header()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, LoopbackHost.Webhook("instances", key: null));
        request.Headers.Add("x-functions-key", LoopbackHost.SystemKey);

        using var response = await _host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
