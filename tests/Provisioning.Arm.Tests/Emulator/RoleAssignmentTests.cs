using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Identities;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Emulator;

public sealed class RoleAssignmentTests
{
    private static async Task<(EmulatorEnvironment Env, ArmResourceId Registry, UserAssignedIdentity Identity)> ArrangeAsync(int pageSize = 100)
    {
        var env = await EmulatorEnvironment.StartAsync(pageSize: pageSize);
        await env.CreateResourceGroupAsync("shared");
        await env.CreateResourceGroupAsync("apps");
        var registry = await env.CreateRegistryAsync("shared", "myregistry");
        var identity = await env.NewClient().Identities.EnsureAsync(
            ArmResourceId.ForResource(env.SubscriptionId, "apps", UserAssignedIdentityClient.ResourceType, "web-puller"), "westeurope", null, CancellationToken.None);
        return (env, registry, identity.Resource);
    }

    [Fact]
    public async Task Ensure_creates_with_the_deterministic_name_then_finds_and_delete_is_idempotent()
    {
        var (env, registry, identity) = await ArrangeAsync();
        await using var _ = env;
        var client = env.NewClient();

        var created = await client.RoleAssignments.EnsureAsync(registry, identity.PrincipalId, BuiltInRoles.AcrPull, CancellationToken.None);
        var again = await env.NewClient().RoleAssignments.EnsureAsync(registry, identity.PrincipalId, BuiltInRoles.AcrPull, CancellationToken.None);

        var expectedName = RoleAssignmentName.For(registry, identity.PrincipalId, BuiltInRoles.AcrPull.ToString());
        Assert.Equal(EnsureOutcome.Created, created.Outcome);
        Assert.Equal(expectedName, created.Resource.Name);
        Assert.Equal($"{registry}/providers/Microsoft.Authorization/roleAssignments/{expectedName}", created.Resource.Id);
        Assert.Equal("ServicePrincipal", created.Resource.PrincipalType);
        Assert.Equal(BuiltInRoles.AcrPull, created.Resource.RoleDefinitionGuid);
        Assert.Equal(EnsureOutcome.Found, again.Outcome);
        Assert.Equal(expectedName, again.Resource.Name);

        Assert.True(await client.RoleAssignments.DeleteAsync(registry, expectedName, CancellationToken.None));
        Assert.False(await client.RoleAssignments.DeleteAsync(registry, expectedName, CancellationToken.None));
        Assert.Null(await client.RoleAssignments.GetAsync(registry, expectedName, CancellationToken.None));
        Assert.Empty(env.RejectedRequests());
    }

    [Fact]
    public async Task The_same_grant_under_another_name_resolves_to_the_existing_assignment()
    {
        var (env, registry, identity) = await ArrangeAsync();
        await using var _ = env;
        var otherName = Guid.NewGuid();
        using var response = await env.PutRawAsync($"{registry}/providers/Microsoft.Authorization/roleAssignments/{otherName}?api-version={ArmApiVersions.RoleAssignments}", new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = BuiltInRoles.DefinitionId(env.SubscriptionId, BuiltInRoles.AcrPull),
                ["principalId"] = identity.PrincipalId,
                ["principalType"] = "ServicePrincipal",
            },
        });
        Assert.Equal(201, (int)response.StatusCode);

        var ensured = await env.NewClient().RoleAssignments.EnsureAsync(registry, identity.PrincipalId, BuiltInRoles.AcrPull, CancellationToken.None);

        Assert.Equal(EnsureOutcome.Found, ensured.Outcome);
        Assert.Equal(otherName, ensured.Resource.Name);
        Assert.Contains(env.Server.GetRequestLog(), e => e.Status == 409 && e.ErrorCode == "RoleAssignmentExists");
    }

    [Fact]
    public async Task Lists_by_principal_and_at_scope_follow_next_links()
    {
        var (env, registry, identity) = await ArrangeAsync(pageSize: 2);
        await using var _ = env;
        var client = env.NewClient();
        var group = ArmResourceId.ForResourceGroup(env.SubscriptionId, "shared");
        foreach (var role in new[] { BuiltInRoles.AcrPull, BuiltInRoles.AcrPush, BuiltInRoles.Reader })
        {
            await client.RoleAssignments.EnsureAsync(registry, identity.PrincipalId, role, CancellationToken.None);
        }
        await client.RoleAssignments.EnsureAsync(group, identity.PrincipalId, BuiltInRoles.Reader, CancellationToken.None);
        env.Server.ClearRequestLog();

        var forPrincipal = await client.RoleAssignments.ListForPrincipalAsync(registry, identity.PrincipalId, CancellationToken.None);
        var atScope = await client.RoleAssignments.ListAtScopeAsync(registry, CancellationToken.None);

        Assert.Equal(4, forPrincipal.Count);
        Assert.Equal(4, atScope.Count);
        Assert.Contains(atScope, a => a.Scope.Equals(group.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.True(env.Server.GetRequestLog().Count(e => e.Method == "GET") >= 4, "two pages each");
    }

    [Fact]
    public async Task PrincipalNotFound_from_arm_is_a_retry_later_error_with_code_and_message()
    {
        await using var env = await EmulatorEnvironment.StartAsync(new Provisioning.ArmEmulator.Faults.FaultSettings { PrincipalReplicationDelay = TimeSpan.FromMinutes(5) });
        await env.CreateResourceGroupAsync("apps");
        var identity = await env.NewClient().Identities.EnsureAsync(
            ArmResourceId.ForResource(env.SubscriptionId, "apps", UserAssignedIdentityClient.ResourceType, "fresh"), "westeurope", null, CancellationToken.None);
        var scope = ArmResourceId.ForResourceGroup(env.SubscriptionId, "apps");
        var options = new ArmClientOptions { Endpoint = env.Server.BaseUri, Transport = PinnedCertificateTransport.Create(env.Server.Certificate) };
        var pipeline = new ArmPipeline(
            HttpPipelineBuilder.Build(options, [], [new BearerTokenAuthenticationPolicy(new DevelopmentTokenCredential(env.Server.DevelopmentToken, env.Time), options.TokenScope)], new ResponseClassifier()),
            env.Server.BaseUri,
            NullLogger.Instance);

        // Without principalType (which the client always sends) ARM checks the directory and refuses the new principal.
        var error = await Assert.ThrowsAsync<ArmException>(() => pipeline.SendAsync(
            RequestMethod.Put,
            $"{scope}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}",
            ArmApiVersions.RoleAssignments,
            new JsonObject { ["properties"] = new JsonObject { ["roleDefinitionId"] = BuiltInRoles.DefinitionId(env.SubscriptionId, BuiltInRoles.Reader), ["principalId"] = identity.Resource.PrincipalId } },
            [200, 201],
            CancellationToken.None));

        Assert.Equal(400, error.Status);
        Assert.Equal("PrincipalNotFound", error.Code);
        Assert.Equal(ArmErrorKind.RetryLater, error.Kind);
        Assert.Contains("replication delay", error.Error.Message, StringComparison.Ordinal);

        // The client's own request carries principalType: ServicePrincipal and is accepted at once.
        var ensured = await env.NewClient().RoleAssignments.EnsureAsync(scope, identity.Resource.PrincipalId, BuiltInRoles.Reader, CancellationToken.None);
        Assert.Equal(EnsureOutcome.Created, ensured.Outcome);
    }
}
