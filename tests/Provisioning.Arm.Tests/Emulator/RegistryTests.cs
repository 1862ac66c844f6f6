using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Emulator;

public sealed class RegistryTests
{
    [Fact]
    public async Task Get_reads_what_the_prerequisite_checks_need()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("shared");
        var id = await env.CreateRegistryAsync("shared", "lockedregistry", "Premium", new JsonObject
        {
            ["publicNetworkAccess"] = "Disabled",
            ["networkRuleBypassOptions"] = "AzureServices",
            ["networkRuleSet"] = new JsonObject { ["defaultAction"] = "Deny" },
            ["roleAssignmentMode"] = "AbacRepositoryPermissions",
        });

        var registry = await env.NewClient().Registries.GetAsync(id, CancellationToken.None);

        Assert.NotNull(registry);
        Assert.Equal(id, registry.Id);
        Assert.Equal("Premium", registry.SkuName);
        Assert.Equal("lockedregistry.azurecr.io", registry.LoginServer);
        Assert.Equal("Disabled", registry.PublicNetworkAccess);
        Assert.Equal("Deny", registry.NetworkRuleSetDefaultAction);
        Assert.True(registry.IsNetworkRestricted);
        Assert.True(registry.AllowsTrustedServices);
        Assert.True(registry.UsesAbacRepositoryPermissions);
        Assert.Equal("enabled", registry.AzureAdAuthenticationAsArmPolicyStatus);
        Assert.Empty(env.RejectedRequests());
    }

    [Fact]
    public async Task A_missing_registry_is_null()
    {
        await using var env = await EmulatorEnvironment.StartAsync();
        await env.CreateResourceGroupAsync("shared");

        var registry = await env.NewClient().Registries.GetAsync(
            ArmResourceId.ForResource(env.SubscriptionId, "shared", "Microsoft.ContainerRegistry/registries", "nosuchregistry"), CancellationToken.None);

        Assert.Null(registry);
    }
}
