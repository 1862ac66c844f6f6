using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Emulator;

public sealed class UserAssignedIdentityTests
{
    [Fact]
    public async Task Ensure_creates_then_finds_get_reads_and_delete_is_idempotent()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("apps");
        var client = env.NewClient();
        var id = ArmResourceId.ForResource(env.SubscriptionId, "apps", "Microsoft.ManagedIdentity/userAssignedIdentities", "web-puller");
        var cancellation = CancellationToken.None;

        var created = await client.Identities.EnsureAsync(id, "westeurope", new Dictionary<string, string> { ["owner"] = "provisioning" }, cancellation);
        var found = await client.Identities.EnsureAsync(id, "westeurope", null, cancellation);
        var got = await client.Identities.GetAsync(id, cancellation);

        Assert.Equal(EnsureOutcome.Created, created.Outcome);
        Assert.True(Guid.TryParse(created.Resource.PrincipalId, out _));
        Assert.True(Guid.TryParse(created.Resource.ClientId, out _));
        Assert.Equal(env.Server.TenantId, created.Resource.TenantId);
        Assert.Equal("provisioning", created.Resource.Tags["owner"]);
        Assert.Equal(EnsureOutcome.Found, found.Outcome);
        Assert.Equal(created.Resource.PrincipalId, found.Resource.PrincipalId);
        Assert.Equal(id, got!.Id);

        Assert.True(await client.Identities.DeleteAsync(id, cancellation));
        Assert.False(await client.Identities.DeleteAsync(id, cancellation));
        Assert.Null(await client.Identities.GetAsync(id, cancellation));
        Assert.Empty(env.RejectedRequests());
    }

    [Fact]
    public async Task Ensure_reuses_an_identity_that_existed_before_without_a_put()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("apps");
        var id = ArmResourceId.ForResource(env.SubscriptionId, "apps", "Microsoft.ManagedIdentity/userAssignedIdentities", "pre-existing");
        await env.NewClient().Identities.EnsureAsync(id, "westeurope", null, CancellationToken.None);
        env.Server.ClearRequestLog();

        var result = await env.NewClient().Identities.EnsureAsync(id, "westeurope", null, CancellationToken.None);

        Assert.Equal(EnsureOutcome.Found, result.Outcome);
        Assert.Equal(["GET"], env.Server.GetRequestLog().Select(e => e.Method));
    }
}
