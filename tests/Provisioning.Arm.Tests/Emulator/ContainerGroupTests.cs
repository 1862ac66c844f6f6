using Provisioning.Arm.Authorization;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Identities;
using Provisioning.Arm.Operations;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.Arm.Tests.Emulator;

public sealed class ContainerGroupTests
{
    private static readonly FaultSettings NoDelays = new() { ProvisioningDuration = TimeSpan.FromSeconds(2), GrantPropagationDelay = TimeSpan.Zero, PrincipalReplicationDelay = TimeSpan.Zero };

    private sealed record Arranged(EmulatorEnvironment Env, ArmResourceId Registry, UserAssignedIdentity Identity, ArmResourceId Group);

    private static async Task<Arranged> ArrangeAsync(FaultSettings faults)
    {
        var env = await EmulatorEnvironment.StartAsync(faults);
        await env.CreateResourceGroupAsync("shared");
        await env.CreateResourceGroupAsync("apps");
        var registry = await env.CreateRegistryAsync("shared", "myregistry");
        Assert.NotNull(env.Server.PushImage("myregistry", "web", "1.0"));
        var client = env.NewClient();
        var identity = await client.Identities.EnsureAsync(ArmResourceId.ForResource(env.SubscriptionId, "apps", UserAssignedIdentityClient.ResourceType, "web-puller"), "westeurope", null, CancellationToken.None);
        await client.RoleAssignments.EnsureAsync(registry, identity.Resource.PrincipalId, BuiltInRoles.AcrPull, CancellationToken.None);
        return new Arranged(env, registry, identity.Resource, ArmResourceId.ForResource(env.SubscriptionId, "apps", ContainerGroupClient.ResourceType, "web"));
    }

    private static ContainerGroupDefinition Definition(UserAssignedIdentity identity, bool multiContainer = false) => new(
        "westeurope",
        new ContainerGroupIdentity(ContainerGroupIdentityType.UserAssigned, [identity.Id]),
        new ContainerGroupProperties(
            multiContainer
                ? [Web(), new Container("sidecar", "myregistry.azurecr.io/web:1.0", ["/bin/sh", "-c", "sleep infinity"], [new ContainerPort(8080)], [], new ResourceRequests(0.5, 0.5))]
                : [Web()],
            [new ImageRegistryCredential("myregistry.azurecr.io", identity.Id)],
            new ContainerGroupIpAddress(IpAddressType.Public, [new ContainerPort(80, TransportProtocol.Tcp)], "web-demo-01"),
            [],
            OperatingSystemType.Linux,
            RestartPolicy.Always))
    {
        Tags = new Dictionary<string, string> { ["template"] = "web" },
    };

    private static Container Web() => new(
        "web",
        "myregistry.azurecr.io/web:1.0",
        [],
        [new ContainerPort(80)],
        [new EnvironmentVariable("MODE", "production", null), new EnvironmentVariable("API_KEY", null, "s3cret")],
        new ResourceRequests(1, 1.5));

    [Fact]
    public async Task Begin_create_returns_a_handle_that_a_new_client_resumes_after_a_restart()
    {
        var arranged = await ArrangeAsync(NoDelays);
        await using var env = arranged.Env;

        var operation = await env.NewClient().ContainerGroups.BeginCreateOrUpdateAsync(arranged.Group, Definition(arranged.Identity, multiContainer: true), CancellationToken.None);
        var persisted = operation.ToJson();

        // The process "restarts": a new client instance polls the handle read back from storage.
        var resumed = ArmOperationHandle.FromJson(persisted);
        var client = env.NewClient();
        var first = await client.ContainerGroups.PollAsync(resumed, CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        var second = await client.ContainerGroups.PollAsync(resumed, CancellationToken.None);
        var group = await client.ContainerGroups.GetAsync(arranged.Group, CancellationToken.None);

        Assert.Equal(operation, resumed);
        Assert.Equal(ArmOperationKind.CreateOrUpdate, resumed.Kind);
        Assert.NotNull(resumed.AsyncOperationUrl);
        Assert.StartsWith(env.Server.BaseUri.ToString(), resumed.AsyncOperationUrl, StringComparison.Ordinal);
        Assert.Equal(ArmOperationState.InProgress, first.State);
        Assert.Equal(ArmOperationState.Succeeded, second.State);
        Assert.NotNull(group);
        Assert.True(group.IsRunning);
        Assert.Equal("Running", group.State);
        Assert.Equal("web-demo-01.westeurope.azurecontainer.io", group.Fqdn);
        Assert.Equal(["web", "sidecar"], group.Containers.Select(c => c.Name));
        Assert.Contains(group.Containers[0].Events, e => e.Name == "Pulled");
        Assert.Equal(arranged.Identity.Id.ToString(), Assert.Single(group.UserAssignedIdentities), ignoreCase: true);
        Assert.Equal("myregistry.azurecr.io", Assert.Single(group.ImageRegistryCredentials).Server);
        Assert.Empty(env.RejectedRequests());
    }

    [Fact]
    public async Task A_pull_not_yet_authorized_fails_the_operation_with_a_retry_later_error_and_pull_events()
    {
        var arranged = await ArrangeAsync(NoDelays with { GrantPropagationDelay = TimeSpan.FromMinutes(5) });
        await using var env = arranged.Env;
        var client = env.NewClient();

        var operation = await client.ContainerGroups.BeginCreateOrUpdateAsync(arranged.Group, Definition(arranged.Identity), CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        var status = await client.ContainerGroups.PollAsync(operation, CancellationToken.None);
        var group = await client.ContainerGroups.GetAsync(arranged.Group, CancellationToken.None);

        Assert.Equal(ArmOperationState.Failed, status.State);
        Assert.Equal("InaccessibleImage", status.Error!.Code);
        Assert.Equal(ArmErrorKind.RetryLater, status.ErrorKind);
        Assert.Equal("Failed", group!.ProvisioningState);
        Assert.False(group.IsRunning);
        Assert.Contains(group.Containers[0].Events, e => e.Name == "Failed" && e.Message.StartsWith("Failed to pull image", StringComparison.Ordinal));
        Assert.Equal("Waiting", group.Containers[0].CurrentState!.State);
    }

    [Fact]
    public async Task A_synchronous_InaccessibleImage_refusal_is_a_retry_later_arm_exception()
    {
        var arranged = await ArrangeAsync(NoDelays with { GrantPropagationDelay = TimeSpan.FromMinutes(5), SynchronousPullFailures = true });
        await using var env = arranged.Env;

        var error = await Assert.ThrowsAsync<ArmException>(() =>
            env.NewClient().ContainerGroups.BeginCreateOrUpdateAsync(arranged.Group, Definition(arranged.Identity), CancellationToken.None));

        Assert.Equal(400, error.Status);
        Assert.Equal("InaccessibleImage", error.Code);
        Assert.Equal(ArmErrorKind.RetryLater, error.Kind);
        Assert.Equal("The image 'myregistry.azurecr.io/web:1.0' in container group 'web' is not accessible. Please check the image and registry credential.", error.Error.Message);
    }

    [Fact]
    public async Task Delete_is_long_running_resumable_and_a_missing_group_is_already_done()
    {
        var arranged = await ArrangeAsync(NoDelays);
        await using var env = arranged.Env;
        var client = env.NewClient();
        var create = await client.ContainerGroups.BeginCreateOrUpdateAsync(arranged.Group, Definition(arranged.Identity), CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(ArmOperationState.Succeeded, (await client.ContainerGroups.PollAsync(create, CancellationToken.None)).State);

        var delete = ArmOperationHandle.FromJson((await client.ContainerGroups.BeginDeleteAsync(arranged.Group, CancellationToken.None)).ToJson());
        var during = await env.NewClient().ContainerGroups.PollAsync(delete, CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        var after = await env.NewClient().ContainerGroups.PollAsync(delete, CancellationToken.None);
        var again = await client.ContainerGroups.BeginDeleteAsync(arranged.Group, CancellationToken.None);

        Assert.False(delete.CompletedAtStart);
        Assert.Equal(ArmOperationState.InProgress, during.State);
        Assert.Equal(ArmOperationState.Succeeded, after.State);
        Assert.Null(await client.ContainerGroups.GetAsync(arranged.Group, CancellationToken.None));
        Assert.True(again.CompletedAtStart);
        Assert.Equal(ArmOperationState.Succeeded, (await client.ContainerGroups.PollAsync(again, CancellationToken.None)).State);
        Assert.Empty(env.RejectedRequests());
    }

    [Fact]
    public async Task A_forced_failure_ends_the_operation_failed_and_leaves_the_group_to_delete()
    {
        var arranged = await ArrangeAsync(NoDelays with { FailingResources = ["web"] });
        await using var env = arranged.Env;
        var client = env.NewClient();

        var operation = await client.ContainerGroups.BeginCreateOrUpdateAsync(arranged.Group, Definition(arranged.Identity), CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        var status = await client.ContainerGroups.PollAsync(operation, CancellationToken.None);

        Assert.Equal(ArmOperationState.Failed, status.State);
        Assert.NotNull(status.Error);
        Assert.Equal("Failed", (await client.ContainerGroups.GetAsync(arranged.Group, CancellationToken.None))!.ProvisioningState);
    }
}
