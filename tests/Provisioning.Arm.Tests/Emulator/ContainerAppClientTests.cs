using System.Text.Json.Nodes;
using Provisioning.Arm.ContainerApps;
using Provisioning.Arm.Operations;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.Arm.Tests.Emulator;

/// <summary>The Container Apps client against the emulator over HTTPS, on a fake clock.</summary>
public sealed class ContainerAppClientTests
{
    private static Task<EmulatorEnvironment> StartAsync() => EmulatorEnvironment.StartAsync(new FaultSettings
    {
        ProvisioningDuration = TimeSpan.FromSeconds(2),
        GrantPropagationDelay = TimeSpan.FromSeconds(30),
        PrincipalReplicationDelay = TimeSpan.FromSeconds(10),
    });

    [Fact]
    public async Task An_environment_and_a_system_assigned_app_are_read_with_the_latest_revision_provisioning_then_running()
    {
        await using var env = await StartAsync();
        var client = env.NewClient();
        await env.CreateResourceGroupAsync("rg");
        var environmentId = ArmResourceId.ForResource(env.SubscriptionId, "rg", ContainerAppClient.EnvironmentResourceType, "apps-env");
        var create = await client.Resources.BeginCreateOrUpdateAsync(environmentId, ArmApiVersions.ManagedEnvironments, new JsonObject { ["location"] = "westeurope", ["properties"] = new JsonObject() }, CancellationToken.None);
        Assert.Equal("Waiting", (await client.ContainerApps.GetEnvironmentAsync(environmentId, CancellationToken.None))!.ProvisioningState);
        env.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(ArmOperationState.Succeeded, (await client.Resources.PollAsync(create, CancellationToken.None)).State);
        var environment = await client.ContainerApps.GetEnvironmentAsync(environmentId, CancellationToken.None);
        Assert.Equal("Succeeded", environment!.ProvisioningState);
        Assert.EndsWith(".westeurope.azurecontainerapps.io", environment.DefaultDomain, StringComparison.Ordinal);

        var appId = ArmResourceId.ForResource(env.SubscriptionId, "rg", ContainerAppClient.ResourceType, "web-app");
        await client.Resources.BeginCreateOrUpdateAsync(appId, ArmApiVersions.ContainerApps, App(environmentId, "mcr.microsoft.com/k8se/quickstart:latest"), CancellationToken.None);
        var app = await client.ContainerApps.GetAsync(appId, CancellationToken.None);
        Assert.Equal("InProgress", app!.ProvisioningState);
        Assert.False(string.IsNullOrEmpty(app.SystemPrincipalId));
        Assert.Equal(environmentId.ToString(), app.EnvironmentId);
        var provisioning = await client.ContainerApps.GetRevisionAsync(appId, app.LatestRevisionName!, CancellationToken.None);
        Assert.Equal(("Provisioning", "Processing", false), (provisioning!.ProvisioningState, provisioning.RunningState, provisioning.IsReady));

        env.Advance(TimeSpan.FromSeconds(3));
        app = await client.ContainerApps.GetAsync(appId, CancellationToken.None);
        Assert.Equal("Succeeded", app!.ProvisioningState);
        Assert.Equal(app.LatestRevisionName, app.LatestReadyRevisionName);
        Assert.StartsWith("web-app.", app.Fqdn, StringComparison.Ordinal);
        var running = await client.ContainerApps.GetRevisionAsync(appId, app.LatestRevisionName!, CancellationToken.None);
        Assert.True(running!.IsReady);
        Assert.True(running.Active);
        Assert.Equal("Healthy", running.HealthState);
        Assert.Empty(env.RejectedRequests());
    }

    [Fact]
    public async Task A_private_image_without_a_grant_fails_its_new_revision_with_the_pull_error_and_the_earlier_one_goes_inactive()
    {
        await using var env = await StartAsync();
        var client = env.NewClient();
        await env.CreateResourceGroupAsync("rg");
        await env.CreateRegistryAsync("rg", "appsacr", sku: "Standard");
        env.Server.PushImage("appsacr", "web", "1.0");
        var environmentId = ArmResourceId.ForResource(env.SubscriptionId, "rg", ContainerAppClient.EnvironmentResourceType, "apps-env");
        await client.Resources.BeginCreateOrUpdateAsync(environmentId, ArmApiVersions.ManagedEnvironments, new JsonObject { ["location"] = "westeurope" }, CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        var appId = ArmResourceId.ForResource(env.SubscriptionId, "rg", ContainerAppClient.ResourceType, "web-app");
        await client.Resources.BeginCreateOrUpdateAsync(appId, ArmApiVersions.ContainerApps, App(environmentId, "mcr.microsoft.com/k8se/quickstart:latest"), CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));
        var first = (await client.ContainerApps.GetAsync(appId, CancellationToken.None))!.LatestRevisionName!;

        var body = App(environmentId, "appsacr.azurecr.io/web:1.0");
        body["properties"]!["configuration"]!["registries"] = new JsonArray(new JsonObject { ["server"] = "appsacr.azurecr.io", ["identity"] = "system" });
        body["properties"]!["template"]!["revisionSuffix"] = "private1";
        await client.Resources.BeginCreateOrUpdateAsync(appId, ArmApiVersions.ContainerApps, body, CancellationToken.None);
        env.Advance(TimeSpan.FromSeconds(3));

        var app = await client.ContainerApps.GetAsync(appId, CancellationToken.None);
        Assert.Equal("Failed", app!.ProvisioningState);
        Assert.Equal("web-app--private1", app.LatestRevisionName);
        Assert.Equal(first, app.LatestReadyRevisionName);
        var failed = await client.ContainerApps.GetRevisionAsync(appId, "web-app--private1", CancellationToken.None);
        Assert.True(failed!.IsFailed);
        Assert.Contains("unauthorized: authentication required", failed.ProvisioningError, StringComparison.Ordinal);
        Assert.False((await client.ContainerApps.GetRevisionAsync(appId, first, CancellationToken.None))!.Active);
        Assert.Null(await client.ContainerApps.GetRevisionAsync(appId, "web-app--nosuch", CancellationToken.None));
    }

    [Fact]
    public async Task Missing_resources_read_as_null_and_ids_of_another_type_are_refused()
    {
        await using var env = await StartAsync();
        var client = env.NewClient();
        await env.CreateResourceGroupAsync("rg");

        Assert.Null(await client.ContainerApps.GetAsync(ArmResourceId.ForResource(env.SubscriptionId, "rg", ContainerAppClient.ResourceType, "nope"), CancellationToken.None));
        Assert.Null(await client.ContainerApps.GetEnvironmentAsync(ArmResourceId.ForResource(env.SubscriptionId, "rg", ContainerAppClient.EnvironmentResourceType, "nope"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => client.ContainerApps.GetAsync(ArmResourceId.ForResource(env.SubscriptionId, "rg", ContainerAppClient.EnvironmentResourceType, "env"), CancellationToken.None));
        Assert.Equal(ArmApiVersions.ContainerApps, ArmApiVersions.For("microsoft.app/containerapps"));
        Assert.Equal(ArmApiVersions.ManagedEnvironments, ArmApiVersions.For("Microsoft.App/managedEnvironments"));
    }

    private static JsonObject App(ArmResourceId environmentId, string image) => new()
    {
        ["location"] = "westeurope",
        ["identity"] = new JsonObject { ["type"] = "SystemAssigned" },
        ["properties"] = new JsonObject
        {
            ["managedEnvironmentId"] = environmentId.ToString(),
            ["configuration"] = new JsonObject { ["ingress"] = new JsonObject { ["external"] = true, ["targetPort"] = 80 } },
            ["template"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = image, ["resources"] = new JsonObject { ["cpu"] = 0.5, ["memory"] = "1Gi" } }),
            },
        },
    };
}
