using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Tests.Doors;

/// <summary>Issue 16 §4: the Durable HTTP API as Durable Functions answers (AZURE-FACTS: list, status, restart).</summary>
public sealed class DurableDoorTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly LoopbackHost _host = fixture.Host;

    [Fact]
    public async Task List_shows_the_input_unless_asked_not_to()
    {
        var started = await _host.StartAsync("HelloSequence", new { cities = new[] { "Quito" } }, "door-list-1");
        await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);

        var shown = await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances?instanceIdPrefix=door-list-1"));
        var hidden = await _host.Http.GetFromJsonAsync<JsonArray>(LoopbackHost.Webhook("instances?instanceIdPrefix=door-list-1&showInput=false"));

        Assert.Equal("Quito", (string?)Assert.Single(shown!)!["input"]!["cities"]![0]);
        Assert.Null(Assert.Single(hidden!)!["input"]);
    }

    [Fact]
    public async Task Status_omits_history_events_unless_asked()
    {
        var started = await _host.StartAsync("HelloSequence", new { cities = new[] { "Accra" } }, "door-history-1");
        await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);

        var plain = await _host.Http.GetFromJsonAsync<JsonObject>(LoopbackHost.Webhook("instances/door-history-1"));
        var explicitlyNot = await _host.Http.GetFromJsonAsync<JsonObject>(LoopbackHost.Webhook("instances/door-history-1?showHistory=false"));
        var withHistory = await _host.Http.GetFromJsonAsync<JsonObject>(LoopbackHost.Webhook("instances/door-history-1?showHistory=true"));

        // Omitted: not even a null property.
        Assert.False(plain!.ContainsKey("historyEvents"));
        Assert.False(explicitlyNot!.ContainsKey("historyEvents"));
        Assert.NotEmpty(withHistory!["historyEvents"]!.AsArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_advertised_restart_url_restarts_a_finished_instance_with_a_new_check_status_payload(bool newInstanceId)
    {
        var id = $"door-restart-{newInstanceId}".ToLowerInvariant();
        var started = await _host.StartAsync("HelloSequence", new { cities = new[] { "Riga" } }, id);
        await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);
        var restartUri = (string)started["restartPostUri"]!;
        Assert.Contains($"/instances/{id}/restart?", restartUri, StringComparison.Ordinal);

        using var response = await _host.Http.PostAsync(new Uri($"{restartUri}&restartWithNewInstanceId={newInstanceId.ToString().ToLowerInvariant()}"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var payload = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var restarted = (string)payload["id"]!;
        Assert.Equal(newInstanceId, restarted != id);
        Assert.Contains($"/instances/{restarted}/restart?", (string?)payload["restartPostUri"], StringComparison.Ordinal);
        var status = await _host.WaitForFinishAsync((string)payload["statusQueryGetUri"]!);
        Assert.Equal("Completed", (string?)status["runtimeStatus"]);
        Assert.Equal("Riga", (string?)status["input"]!["cities"]![0]);
    }

    [Fact]
    public async Task Restarting_an_unknown_instance_is_404()
    {
        using var response = await _host.Http.PostAsync(LoopbackHost.Webhook("instances/door-nobody/restart"), null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
