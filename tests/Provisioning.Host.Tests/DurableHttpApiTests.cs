using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Tests;

public sealed class DurableHttpApiTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private readonly LoopbackHost _host = fixture.Host;

    [Fact]
    public async Task Start_returns_the_check_status_payload_and_the_status_url_reports_completion()
    {
        var started = await _host.StartAsync("HelloSequence", new { cities = new[] { "Oslo", "Lima" } }, "hello-1");

        Assert.Equal("hello-1", (string?)started["id"]);
        foreach (var field in new[] { "statusQueryGetUri", "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "restartPostUri", "suspendPostUri", "resumePostUri" })
        {
            Assert.StartsWith(_host.BaseAddress.GetLeftPart(UriPartial.Authority) + "/runtime/webhooks/durabletask/instances/hello-1", (string?)started[field], StringComparison.Ordinal);
        }

        Assert.Contains("/raiseEvent/{eventName}?", (string?)started["sendEventPostUri"], StringComparison.Ordinal);
        Assert.Contains("reason={text}", (string?)started["terminatePostUri"], StringComparison.Ordinal);

        var status = await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);
        Assert.Equal("Completed", (string?)status["runtimeStatus"]);
        Assert.Equal("HelloSequence", (string?)status["name"]);
        Assert.Equal(["Hello, Oslo!", "Hello, Lima!"], status["output"]!.AsArray().Select(node => (string)node!));
        Assert.Equal("Oslo", (string?)status["input"]!["cities"]![0]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", (string?)status["createdTime"]);
    }

    [Fact]
    public async Task Status_of_a_running_instance_is_202_with_location_and_history_on_request()
    {
        var started = await _host.StartAsync("ApprovalWorkflow", new { timeoutMinutes = 30 }, "approval-running");

        using var response = await _host.Http.GetAsync(LoopbackHost.Webhook("instances/approval-running?showHistory=true"));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        Assert.Contains((string?)body["runtimeStatus"], new[] { "Pending", "Running" });
        Assert.NotNull(body["historyEvents"]);
        Assert.Equal("approval-running", (string?)started["id"]);
    }

    [Fact]
    public async Task A_raised_event_reaches_the_waiting_orchestration_and_a_finished_one_answers_410()
    {
        var started = await _host.StartAsync("ApprovalWorkflow", new { timeoutMinutes = 30 }, "approval-1");

        using (var raised = await _host.Http.PostAsync(LoopbackHost.Webhook("instances/approval-1/raiseEvent/Approval"), LoopbackHost.Json("true")))
        {
            Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        }

        var status = await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);
        Assert.Equal("approved", (string?)status["output"]);

        using var late = await _host.Http.PostAsync(LoopbackHost.Webhook("instances/approval-1/raiseEvent/Approval"), LoopbackHost.Json("true"));
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        using var unknown = await _host.Http.PostAsync(LoopbackHost.Webhook("instances/no-such-instance/raiseEvent/Approval"), LoopbackHost.Json("true"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Terminate_stops_the_instance_with_the_reason_as_output()
    {
        var started = await _host.StartAsync("ApprovalWorkflow", new { timeoutMinutes = 30 }, "approval-terminate");

        using (var terminated = await _host.Http.PostAsync(LoopbackHost.Webhook("instances/approval-terminate/terminate?reason=no%20longer%20needed"), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, terminated.StatusCode);
        }

        var status = await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);
        Assert.Equal("Terminated", (string?)status["runtimeStatus"]);
        Assert.Equal("no longer needed", (string?)status["output"]);

        using var again = await _host.Http.PostAsync(LoopbackHost.Webhook("instances/approval-terminate/terminate?reason=again"), null);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
    }

    [Fact]
    public async Task Suspend_holds_events_until_resume()
    {
        var started = await _host.StartAsync("ApprovalWorkflow", new { timeoutMinutes = 30 }, "approval-suspend");
        await WaitForStatusAsync("approval-suspend", "Running");

        using (var suspended = await _host.Http.PostAsync(LoopbackHost.Webhook("instances/approval-suspend/suspend?reason=maintenance"), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, suspended.StatusCode);
        }

        await WaitForStatusAsync("approval-suspend", "Suspended");
        using (await _host.Http.PostAsync(LoopbackHost.Webhook("instances/approval-suspend/raiseEvent/Approval"), LoopbackHost.Json("false")))
        {
        }

        await WaitForStatusAsync("approval-suspend", "Suspended");
        using (var resumed = await _host.Http.PostAsync(LoopbackHost.Webhook("instances/approval-suspend/resume?reason=done"), null))
        {
            Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        }

        var status = await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);
        Assert.Equal("rejected", (string?)status["output"]);
    }

    [Fact]
    public async Task List_filters_by_status_and_prefix_and_pages_with_the_continuation_header()
    {
        for (var i = 0; i < 3; i++)
        {
            var started = await _host.StartAsync("HelloSequence", null, $"list-{i}");
            await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);
        }

        await _host.StartAsync("ApprovalWorkflow", new { timeoutMinutes = 30 }, "list-waiting");

        var seen = new List<string>();
        string? continuation = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, LoopbackHost.Webhook("instances?runtimeStatus=Completed&instanceIdPrefix=list-&top=2"));
            if (continuation is not null)
            {
                request.Headers.Add("x-ms-continuation-token", continuation);
            }

            using var response = await _host.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
            Assert.True(page.Count <= 2);
            seen.AddRange(page.Select(item => (string)item!["instanceId"]!));
            continuation = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.FirstOrDefault() : null;
        }
        while (!string.IsNullOrEmpty(continuation));

        Assert.Equal(["list-0", "list-1", "list-2"], seen.Order());
    }

    [Fact]
    public async Task Purge_removes_a_finished_instance_and_refuses_a_running_one()
    {
        var started = await _host.StartAsync("HelloSequence", null, "purge-me");
        await _host.WaitForFinishAsync((string)started["statusQueryGetUri"]!);
        await _host.StartAsync("ApprovalWorkflow", new { timeoutMinutes = 30 }, "purge-running");

        using (var purged = await _host.Http.DeleteAsync(LoopbackHost.Webhook("instances/purge-me")))
        {
            Assert.Equal(HttpStatusCode.OK, purged.StatusCode);
            Assert.Equal(1, (int?)(await purged.Content.ReadFromJsonAsync<JsonObject>())!["instancesDeleted"]);
        }

        using (var gone = await _host.Http.GetAsync(LoopbackHost.Webhook("instances/purge-me")))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        using var running = await _host.Http.DeleteAsync(LoopbackHost.Webhook("instances/purge-running"));
        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
    }

    [Fact]
    public async Task Starting_an_id_that_is_running_is_refused_with_409_and_a_finished_one_starts_again()
    {
        await _host.StartAsync("ApprovalWorkflow", new { timeoutMinutes = 30 }, "single");
        using var duplicate = await _host.Http.PostAsync(LoopbackHost.Webhook("orchestrators/ApprovalWorkflow/single"), LoopbackHost.Json("{}"));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("single", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var first = await _host.StartAsync("HelloSequence", null, "again");
        await _host.WaitForFinishAsync((string)first["statusQueryGetUri"]!);
        var second = await _host.StartAsync("HelloSequence", new { cities = new[] { "Rome" } }, "again");
        var status = await _host.WaitForFinishAsync((string)second["statusQueryGetUri"]!);
        Assert.Equal("Hello, Rome!", (string?)status["output"]![0]);
    }

    private async Task WaitForStatusAsync(string instanceId, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var body = await _host.Http.GetFromJsonAsync<JsonObject>(LoopbackHost.Webhook($"instances/{instanceId}"), timeout.Token);
            if ((string?)body!["runtimeStatus"] == expected)
            {
                return;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
