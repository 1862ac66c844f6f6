using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.ArmEmulator.Tests;

public sealed class FaultTests
{
    [Fact]
    public async Task Throttling_answers_429_with_RetryAfter_and_remaining_headers_and_refills_with_time()
    {
        var faults = new FaultSettings { Throttling = new ThrottlingSettings { Enabled = true, ReadBurst = 3, ReadsPerSecond = 1 } };
        await using var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { Faults = faults });
        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await e.GetAsync($"{e.Sub}/resourcegroups", "2024-03-01");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            remaining.Add(ok.Headers.GetValues("x-ms-ratelimit-remaining-subscription-reads").Single());
        }

        Assert.Equal(["2", "1", "0"], remaining);
        using var throttled = await e.GetAsync($"{e.Sub}/resourcegroups", "2024-03-01");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), throttled.Headers.RetryAfter!.Delta);
        Assert.Equal("SubscriptionRequestsThrottled", await TestEmulator.ErrorCodeAsync(throttled));

        using var write = await e.PutAsync($"{e.Sub}/resourcegroups/rg", "2024-03-01", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.Created, write.StatusCode);
        Assert.NotNull(write.Headers.GetValues("x-ms-ratelimit-remaining-subscription-writes").Single());

        e.Time.Advance(TimeSpan.FromSeconds(1));
        using var again = await e.GetAsync($"{e.Sub}/resourcegroups", "2024-03-01");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Transient_failures_are_500_or_503_and_seeded()
    {
        var faults = new FaultSettings { TransientFailureRate = 1.0 };
        await using var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { Faults = faults, Seed = 42 });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var r = await e.GetAsync($"{e.Sub}/resourcegroups", "2024-03-01");
            statuses.Add(r.StatusCode);
            Assert.Contains(await TestEmulator.ErrorCodeAsync(r), new[] { "InternalServerError", "ServiceUnavailable" });
        }

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.InternalServerError or HttpStatusCode.ServiceUnavailable));
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
        Assert.Contains(HttpStatusCode.InternalServerError, statuses);

        e.Server.Faults.Update(f => f with { TransientFailureRate = 0 });
        using var ok = await e.GetAsync($"{e.Sub}/resourcegroups", "2024-03-01");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Empty(e.Server.GetInventory());
    }

    [Fact]
    public async Task Added_latency_waits_on_the_time_provider()
    {
        var faults = new FaultSettings { AddedLatency = TimeSpan.FromSeconds(30) };
        await using var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { Faults = faults });
        var pending = e.GetAsync($"{e.Sub}/resourcegroups", "2024-03-01");
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(true), "request sent");
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);
        await TestEmulator.WaitUntilAsync(
            () =>
            {
                e.Time.Advance(TimeSpan.FromSeconds(30));
                return Task.FromResult(pending.IsCompleted);
            },
            "the delayed response");
        using var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Forced_failures_fail_named_resources_sync_and_async()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        using var put = await e.Http.PutAsJsonAsync("/_emulator/faults", new { failingResources = new[] { "doomed-id", "doomedacr" }, provisioningDuration = "00:00:01" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var current = (await e.Http.GetFromJsonAsync<JsonObject>("/_emulator/faults"))!;
        Assert.Equal("00:00:01", current["provisioningDuration"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(1), e.Server.Faults.Current.ProvisioningDuration);

        using var identity = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/doomed-id", "2024-11-30", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.InternalServerError, identity.StatusCode);
        Assert.DoesNotContain(e.Server.GetInventory(), i => i.Name == "doomed-id");

        var path = $"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/doomedacr";
        using var registry = await e.PutAsync(path, "2025-11-01", """{"location":"westeurope","sku":{"name":"Basic"}}""");
        Assert.Equal(HttpStatusCode.Created, registry.StatusCode);
        e.Time.Advance(TimeSpan.FromSeconds(1));
        var status = await TestEmulator.JsonAsync(await e.Http.GetAsync(registry.Headers.GetValues("Azure-AsyncOperation").Single()));
        Assert.Equal("Failed", status["status"]!.GetValue<string>());
        Assert.Equal("Failed", (await TestEmulator.JsonAsync(await e.GetAsync(path, "2025-11-01")))["properties"]!["provisioningState"]!.GetValue<string>());
    }

    [Fact]
    public async Task Replication_delay_is_configurable_at_run_time()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        e.Server.Faults.Update(f => f with { PrincipalReplicationDelay = TimeSpan.Zero });
        var principal = (await e.CreateIdentityAsync("rg", "id1"))["properties"]!["principalId"]!.GetValue<string>();
        using var r = await e.PutAsync(
            $"{e.Sub}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}",
            "2022-04-01",
            "{\"properties\":{\"roleDefinitionId\":\"" + e.Sub + "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7\",\"principalId\":\"" + principal + "\"}}");
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }
}
