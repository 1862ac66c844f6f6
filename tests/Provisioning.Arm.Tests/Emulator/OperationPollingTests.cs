using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Identities;
using Provisioning.Arm.Operations;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Emulator;

public sealed class OperationPollingTests
{
    private static async Task<(EmulatorEnvironment Env, ArmResourceId Group)> ArrangeRunningGroupAsync()
    {
        var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("apps");
        var client = env.NewClient();
        var identity = await client.Identities.EnsureAsync(ArmResourceId.ForResource(env.SubscriptionId, "apps", UserAssignedIdentityClient.ResourceType, "runner"), "westeurope", null, CancellationToken.None);
        var group = ArmResourceId.ForResource(env.SubscriptionId, "apps", ContainerGroupClient.ResourceType, "public-image");
        var definition = new ContainerGroupDefinition(
            "westeurope",
            new ContainerGroupIdentity(ContainerGroupIdentityType.UserAssigned, [identity.Resource.Id]),
            new ContainerGroupProperties([new Container("web", "mcr.microsoft.com/azuredocs/aci-helloworld:latest", [], [new ContainerPort(80)], [], new ResourceRequests(1, 1))], [], null, [], OperatingSystemType.Linux, null));
        var create = await client.ContainerGroups.BeginCreateOrUpdateAsync(group, definition, CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(ArmOperationState.Succeeded, (await client.ContainerGroups.PollAsync(create, CancellationToken.None)).State);
        return (env, group);
    }

    [Fact]
    public async Task A_handle_with_only_a_Location_url_is_polled_through_it()
    {
        var (env, group) = await ArrangeRunningGroupAsync();
        await using var _ = env;
        var client = env.NewClient();
        var delete = await client.ContainerGroups.BeginDeleteAsync(group, CancellationToken.None);
        Assert.NotNull(delete.LocationUrl);
        var locationOnly = delete with { AsyncOperationUrl = null };

        var during = await client.ContainerGroups.PollAsync(locationOnly, CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        var after = await client.ContainerGroups.PollAsync(locationOnly, CancellationToken.None);

        Assert.Equal(ArmOperationState.InProgress, during.State);
        Assert.Equal(ArmOperationState.Succeeded, after.State);
        Assert.Null(await client.ContainerGroups.GetAsync(group, CancellationToken.None));
    }

    [Fact]
    public async Task A_handle_without_urls_is_polled_through_the_resource_itself()
    {
        var (env, group) = await ArrangeRunningGroupAsync();
        await using var _ = env;
        var client = env.NewClient();
        var delete = await client.ContainerGroups.BeginDeleteAsync(group, CancellationToken.None);
        var bare = delete with { AsyncOperationUrl = null, LocationUrl = null };

        var during = await client.ContainerGroups.PollAsync(bare, CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        var after = await client.ContainerGroups.PollAsync(bare, CancellationToken.None);

        Assert.Equal(ArmOperationState.InProgress, during.State);
        Assert.Equal(ArmOperationState.Succeeded, after.State);
    }

    [Fact]
    public async Task A_status_url_on_another_host_is_never_followed()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        var handle = new ArmOperationHandle(
            ArmOperationKind.CreateOrUpdate,
            ArmResourceId.ForResource(env.SubscriptionId, "apps", ContainerGroupClient.ResourceType, "web").ToString(),
            "https://attacker.example/operations/1",
            null,
            false,
            DateTimeOffset.UtcNow,
            null);

        var error = await Assert.ThrowsAsync<ArmException>(() => env.NewClient().ContainerGroups.PollAsync(handle, CancellationToken.None));

        Assert.Equal("InvalidLink", error.Code);
        Assert.Empty(env.Server.GetRequestLog());
    }
}
