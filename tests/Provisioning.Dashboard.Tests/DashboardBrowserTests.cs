using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Provisioning.Host.Sandbox;

namespace Provisioning.Dashboard.Tests;

/// <summary>The dashboard in headless Chromium against the real host and its sandbox emulator.</summary>
public sealed class DashboardBrowserTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    private readonly LoopbackHost _host = fixture.Host;

    [Fact]
    public async Task Without_a_key_the_page_asks_for_one_shows_no_run_and_refuses_a_wrong_one()
    {
        var id = await _host.StartWebAsync("web-keyed");
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/dashboard/");
        await Assertions.Expect(page.Locator("#key-panel")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=runs-table]")).ToHaveCountAsync(0);

        await page.FillAsync("#key-input", "not-the-key");
        await page.ClickAsync("#key-form button");
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("not valid");
        await Assertions.Expect(page.Locator($"[data-run='{id}']")).ToHaveCountAsync(0);

        // The function key starts runs but does not open the dashboard: its actions need the system key.
        await page.FillAsync("#key-input", LoopbackHost.FunctionKey);
        await page.ClickAsync("#key-form button");
        await Assertions.Expect(page.Locator("#key-error")).ToContainTextAsync("system key");

        // The data routes themselves refuse a request without the key, whatever the page does.
        using var anonymous = await _host.Http.GetAsync("/dashboard/api/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var withFunctionKey = await _host.Http.GetAsync($"/dashboard/api/runs?code={LoopbackHost.FunctionKey}");
        Assert.Equal(HttpStatusCode.Unauthorized, withFunctionKey.StatusCode);

        await page.FillAsync("#key-input", LoopbackHost.SystemKey);
        await page.ClickAsync("#key-form button");
        await Assertions.Expect(page.Locator($"[data-run='{id}']")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_run_started_from_the_API_appears_in_the_list_and_its_timeline_shows_the_propagation_wait_live()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/dashboard/?code={LoopbackHost.SystemKey}");
        await Assertions.Expect(page.Locator("[data-testid=runs-table]")).ToBeVisibleAsync();
        // The key left the address bar once the page kept it.
        Assert.DoesNotContain(LoopbackHost.SystemKey, page.Url, StringComparison.Ordinal);

        var id = await _host.StartWebAsync("web-live");

        // No reload: the list polls.
        var row = page.Locator($"[data-run='{id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row).ToContainTextAsync("web");
        await DashboardFixture.ScreenshotAsync(page, "runs.png");

        await row.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-id]")).ToHaveTextAsync(id);

        // While the grant propagates the run waits durably: the page shows the phase, the attempt and the next retry, live.
        var liveWait = page.Locator("[data-testid=live-wait]");
        await Assertions.Expect(liveWait).ToContainTextAsync("WaitingForGrantPropagation");
        await Assertions.Expect(page.Locator("[data-testid=run-phase]")).ToHaveTextAsync("WaitingForGrantPropagation");
        await Assertions.Expect(page.Locator("[data-testid=next-retry]")).Not.ToHaveTextAsync("—");
        var message = await page.Locator("[data-testid=run-message]").InnerTextAsync();
        Assert.Contains("pull", message, StringComparison.OrdinalIgnoreCase);
        await DashboardFixture.ScreenshotAsync(page, "run-waiting.png");

        // Then the grant is effective and the run succeeds, with no reload: the waits are in the timeline, fired.
        await Assertions.Expect(page.Locator("[data-testid=run-phase]")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-testid=live-wait]")).ToHaveCountAsync(0);
        Assert.True(await page.Locator("[data-testid=timeline] .row[data-kind=wait][data-outcome=fired]").CountAsync() >= 1);
        await Assertions.Expect(page.Locator("[data-testid=steps]")).ToContainTextAsync("EnsureIdentity");
        // The ARM calls its steps made, with the refused and the accepted deployment among them.
        var armCalls = page.Locator("[data-testid=arm-calls]");
        await Assertions.Expect(armCalls.Locator("tr", new() { HasText = "/userAssignedIdentities/web-live-id" }).Filter(new() { HasText = "PUT" })).Not.ToHaveCountAsync(0);
        // The first attempt PUTs the group; the next ones restart it in place (ACI pulls the image again).
        Assert.True(await armCalls.Locator("tr", new() { HasText = "/containerGroups/web-live?" }).Filter(new() { HasText = "PUT" }).CountAsync() >= 1, "the first deployment attempt is a PUT of the group");
        Assert.True(await armCalls.Locator("tr", new() { HasText = "/containerGroups/web-live/restart" }).Filter(new() { HasText = "POST" }).CountAsync() >= 1, "a later attempt restarts the group");
        await Assertions.Expect(page.Locator("[data-testid=created]")).ToContainTextAsync("/userAssignedIdentities/web-live-id");
        await Assertions.Expect(page.Locator("[data-testid=phase-seconds]")).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "run-succeeded.png");

        // The lane shows the deployment.
        await page.ClickAsync("[data-nav=workloads]");
        var lane = page.Locator("[data-lane$=':web-live:']");
        await Assertions.Expect(lane.Locator("[data-testid=current-image]")).ToHaveTextAsync("sandboxacr.azurecr.io/hello/web:1.0");
        await Assertions.Expect(page.Locator("[data-testid=drift]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#view")).Not.ToContainTextAsync("null");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Drift_made_in_the_sandbox_shows_on_the_workloads_page_with_its_finding_and_its_repair()
    {
        var id = await _host.StartWebAsync("web-drift");
        var output = await _host.WaitForCompletedAsync(id);
        var assignment = (string)output["roleAssignmentIds"]![0]!;

        // Drift: the run's grant (the identity's AcrPull on the registry) is deleted behind the product's back.
        var sandbox = _host.Services.GetRequiredService<SandboxEnvironment>();
        using (var arm = sandbox.CreateHttpClient())
        using (var deleted = await arm.DeleteAsync($"{assignment}?api-version=2022-04-01"))
        {
            Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        }

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/dashboard/?code={LoopbackHost.SystemKey}#/workloads");
        var lane = page.Locator("[data-lane$=':web-drift:']");
        await Assertions.Expect(lane.Locator("[data-testid=current-image]")).ToHaveTextAsync("sandboxacr.azurecr.io/hello/web:1.0");
        using (var scan = await _host.Http.PostAsync($"/api/drift?code={LoopbackHost.FunctionKey}", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, scan.StatusCode);
        }

        // No reload: the page polls. The finding names the kind, the deleted assignment, what the run left and what is there.
        var finding = lane.Locator("[data-testid=drift-findings] tr[data-kind=GrantRemoved]");
        await Assertions.Expect(finding).ToHaveCountAsync(1, new() { Timeout = 60_000 });
        await Assertions.Expect(finding).ToContainTextAsync(assignment, new() { IgnoreCase = true });
        Assert.Equal(4, await finding.Locator("td").CountAsync());
        Assert.All(await finding.Locator("td").AllInnerTextsAsync(), cell => Assert.False(string.IsNullOrWhiteSpace(cell)));
        await Assertions.Expect(page.Locator("[data-testid=drift]")).ToContainTextAsync("Last scan");

        // The repair: a run in the lane started by the drift run, which completes (the grant propagates, the group pulls).
        await Assertions.Expect(lane.Locator("[data-testid=repair-status]")).ToHaveTextAsync("Completed", new() { Timeout = 90_000 });
        var repairRun = lane.Locator("[data-testid=repair-run] a");
        var repairId = await repairRun.InnerTextAsync();
        Assert.NotEqual(id, repairId);
        Assert.StartsWith(id[..(id.LastIndexOf(':') + 1)], repairId, StringComparison.Ordinal);
        Assert.Contains(sandbox.Emulator.GetInventory(), entry => entry.Id.Equals(assignment, StringComparison.OrdinalIgnoreCase));
        await DashboardFixture.ScreenshotAsync(page, "workloads.png");

        await repairRun.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=run-id]")).ToHaveTextAsync(repairId);
        await Assertions.Expect(page.Locator("[data-testid=run-phase]")).ToHaveTextAsync("Succeeded");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Cancel_from_the_page_compensates_and_the_page_shows_what_was_deleted()
    {
        var id = await _host.StartWebAsync("web-cancel");
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/dashboard/?code={LoopbackHost.SystemKey}#/run/{Uri.EscapeDataString(id)}");
        await Assertions.Expect(page.Locator("[data-testid=run-phase]")).ToHaveTextAsync("WaitingForGrantPropagation");
        await Assertions.Expect(page.Locator("[data-testid=compensation]")).ToHaveCountAsync(0);

        await page.ClickAsync("[data-action=cancel]");

        var deleted = page.Locator("[data-testid=deleted]");
        await Assertions.Expect(page.Locator("[data-testid=run-phase]")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        await Assertions.Expect(deleted).ToContainTextAsync("/userAssignedIdentities/web-cancel-id");
        await Assertions.Expect(deleted).ToContainTextAsync("Microsoft.Authorization/roleAssignments/");
        await Assertions.Expect(deleted).ToContainTextAsync("/containerGroups/web-cancel");
        await Assertions.Expect(page.Locator("[data-testid=timeline] .row[data-kind=event]")).ToContainTextAsync("Cancel");
        await DashboardFixture.ScreenshotAsync(page, "run-cancelled.png");

        // What the page says was deleted is gone from the emulator, and the sandbox page's inventory agrees.
        var inventory = JsonNode.Parse(await _host.Http.GetStringAsync($"/dashboard/api/sandbox?code={LoopbackHost.SystemKey}"))!["inventory"]!.AsArray();
        Assert.DoesNotContain(inventory, item => ((string)item!["id"]!).EndsWith("/web-cancel-id", StringComparison.OrdinalIgnoreCase));
        await page.ClickAsync("[data-nav=sandbox]");
        await Assertions.Expect(page.Locator("[data-testid=inventory]")).ToContainTextAsync("sandboxacr");
        await Assertions.Expect(page.Locator("[data-testid=inventory]")).Not.ToContainTextAsync("web-cancel-id");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_push_from_the_sandbox_page_starts_a_run_whose_page_shows_the_event()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/dashboard/?code={LoopbackHost.SystemKey}#/sandbox");
        await page.FillAsync("form.push input[name=tag]", "9.9");
        await page.ClickAsync("[data-action=push]");

        await Assertions.Expect(page.Locator("#push-result")).ToContainTextAsync("Pushed hello/web:9.9");
        await Assertions.Expect(page.Locator("[data-testid=images]")).ToContainTextAsync("9.9");
        var images = JsonNode.Parse(await _host.Http.GetStringAsync($"/dashboard/api/sandbox?code={LoopbackHost.SystemKey}"))!["images"]!.AsArray();
        Assert.Contains(images, image => (string?)image!["tag"] == "9.9");
        await DashboardFixture.ScreenshotAsync(page, "sandbox.png");

        // The emulator delivers ImagePushed to the host; rules.yaml redeploys the web template in the lane of "web".
        await page.ClickAsync("[data-nav=runs]");
        var run = page.Locator("tr[data-run*=':rg-sandbox:web:']");
        await Assertions.Expect(run).ToHaveCountAsync(1);
        await run.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=cause]")).ToContainTextAsync("Microsoft.ContainerRegistry.ImagePushed");
        await Assertions.Expect(page.Locator("[data-testid=cause]")).ToContainTextAsync("hello/web:9.9");
        await page.Context.CloseAsync();
    }
}
