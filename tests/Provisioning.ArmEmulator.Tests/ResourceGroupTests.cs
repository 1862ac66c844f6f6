using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Provisioning.ArmEmulator.Tests;

public sealed class ResourceGroupTests
{
    [Fact]
    public async Task Create_is_201_then_200_and_get_returns_it()
    {
        await using var e = await TestEmulator.StartAsync();
        using var created = await e.PutAsync($"{e.Sub}/resourcegroups/my-rg", "2024-03-01", """{"location":"westeurope","tags":{"env":"test"}}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await TestEmulator.JsonAsync(created);
        Assert.Equal($"{e.Sub}/resourceGroups/my-rg", body["id"]!.GetValue<string>());
        Assert.Equal("Succeeded", body["properties"]!["provisioningState"]!.GetValue<string>());

        using var again = await e.PutAsync($"{e.Sub}/resourcegroups/my-rg", "2024-03-01", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        using var moved = await e.PutAsync($"{e.Sub}/resourcegroups/my-rg", "2024-03-01", """{"location":"eastus"}""");
        Assert.Equal(HttpStatusCode.Conflict, moved.StatusCode);
        Assert.Equal("InvalidResourceGroupLocation", await TestEmulator.ErrorCodeAsync(moved));

        using var missing = await e.GetAsync($"{e.Sub}/resourcegroups/other", "2024-03-01");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("ResourceGroupNotFound", await TestEmulator.ErrorCodeAsync(missing));
    }

    [Fact]
    public async Task Invalid_name_and_missing_location_are_rejected()
    {
        await using var e = await TestEmulator.StartAsync();
        using var badName = await e.PutAsync($"{e.Sub}/resourcegroups/bad.", "2024-03-01", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        using var noLocation = await e.PutAsync($"{e.Sub}/resourcegroups/ok", "2024-03-01", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, noLocation.StatusCode);
    }

    [Fact]
    public async Task Delete_is_long_running_and_cascades()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        await e.CreateIdentityAsync("rg", "id1");
        using var delete = await e.DeleteAsync($"{e.Sub}/resourcegroups/rg", "2024-03-01");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        Assert.NotNull(delete.Headers.Location);
        Assert.NotNull(delete.Headers.RetryAfter);

        using var pending = await e.Http.GetAsync(delete.Headers.Location);
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        using var deleting = await e.GetAsync($"{e.Sub}/resourcegroups/rg", "2024-03-01");
        Assert.Equal("Deleting", (await TestEmulator.JsonAsync(deleting))["properties"]!["provisioningState"]!.GetValue<string>());
        using var putWhileDeleting = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id2", "2024-11-30", """{"location":"westeurope"}""");
        Assert.Equal(HttpStatusCode.Conflict, putWhileDeleting.StatusCode);
        Assert.Equal("ResourceGroupBeingDeleted", await TestEmulator.ErrorCodeAsync(putWhileDeleting));

        e.Time.Advance(TimeSpan.FromSeconds(3));
        using var done = await e.Http.GetAsync(delete.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Empty(e.Server.GetInventory());
        Assert.Contains(e.Server.GetEvents(), ev => ev.EventType == "Microsoft.Resources.ResourceDeleteSuccess" && ev.Subject.EndsWith("/id1", StringComparison.Ordinal));

        using var again = await e.DeleteAsync($"{e.Sub}/resourcegroups/rg", "2024-03-01");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Delete_completes_unpolled_even_when_its_timer_fires_before_the_wall_clock_reaches_the_due_time()
    {
        var clock = new LaggingWallClock();
        await using var e = await TestEmulator.StartAsync(clock: clock);
        await e.CreateGroupAsync("rg");
        using var delete = await e.DeleteAsync($"{e.Sub}/resourcegroups/rg", "2024-03-01");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);

        // System timers run on the monotonic clock and due times are read from the wall clock, which can lag it.
        clock.Lag = TimeSpan.FromMilliseconds(5);
        e.Time.Advance(e.Server.Faults.Current.ProvisioningDuration);
        Assert.DoesNotContain(e.Server.GetEvents(), ev => ev.EventType == "Microsoft.Resources.ResourceDeleteSuccess");

        // Nobody polls: the timer alone must finish the delete (Event Grid subscribers wait for its event).
        e.Time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Contains(e.Server.GetEvents(), ev => ev.EventType == "Microsoft.Resources.ResourceDeleteSuccess" && ev.Subject.EndsWith("/resourcegroups/rg", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class LaggingWallClock() : FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
        public TimeSpan Lag { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() - Lag;
    }
}
