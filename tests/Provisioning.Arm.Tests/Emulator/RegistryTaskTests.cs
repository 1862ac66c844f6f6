using System.Text;
using System.Text.Json.Nodes;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.ContainerRegistry;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Identities;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.Arm.Tests.Emulator;

/// <summary>The ACR Tasks client against the emulator over HTTPS, on a fake clock.</summary>
public sealed class RegistryTaskTests
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(30);

    private static Task<EmulatorEnvironment> StartAsync() => EmulatorEnvironment.StartAsync(new FaultSettings
    {
        ProvisioningDuration = TimeSpan.FromSeconds(2),
        GrantPropagationDelay = Propagation,
        PrincipalReplicationDelay = TimeSpan.FromSeconds(10),
    });

    /// <summary>A Docker build whose base image (BASE_IMAGE) comes from the base registry, pushed as app:{run id}.</summary>
    private static JsonObject DockerBuild(string baseImage, JsonObject? customRegistries = null)
    {
        var properties = new JsonObject
        {
            ["status"] = "Enabled",
            ["platform"] = new JsonObject { ["os"] = "Linux", ["architecture"] = "amd64" },
            ["agentConfiguration"] = new JsonObject { ["cpu"] = 2 },
            ["step"] = new JsonObject
            {
                ["type"] = "Docker",
                ["dockerFilePath"] = "Dockerfile",
                ["contextPath"] = "https://github.com/Azure-Samples/acr-build-helloworld-node.git#main",
                ["imageNames"] = new JsonArray("app:{{.Run.ID}}"),
                ["isPushEnabled"] = true,
                ["noCache"] = false,
                ["arguments"] = new JsonArray(new JsonObject { ["name"] = "BASE_IMAGE", ["value"] = baseImage, ["isSecret"] = false }),
            },
        };
        if (customRegistries is not null)
        {
            properties["credentials"] = new JsonObject { ["customRegistries"] = customRegistries };
        }
        return properties;
    }

    private static async Task<RegistryRun> RunToEndAsync(EmulatorEnvironment env, ProvisioningArmClient client, ArmResourceId taskId)
    {
        var run = await client.RegistryTasks.ScheduleRunAsync(taskId, CancellationToken.None);
        Assert.Equal(RegistryRunStatus.Queued, run.Status);
        env.Advance(TimeSpan.FromSeconds(2));
        var done = await client.RegistryTasks.GetRunAsync(taskId.Parent!, run.RunId, CancellationToken.None);
        Assert.NotNull(done);
        Assert.True(done.IsTerminal, $"run {done.RunId} is {done.StatusText}");
        return done;
    }

    [Fact]
    public async Task A_system_identity_task_pulls_its_base_image_once_the_AcrPull_grant_to_its_principal_is_effective()
    {
        await using var env = await StartAsync();
        await env.CreateResourceGroupAsync("ci");
        var build = await env.CreateRegistryAsync("ci", "buildacr");
        var bases = await env.CreateRegistryAsync("ci", "baseacr");
        env.Server.PushImage("baseacr", "runtime", "8");
        var client = env.NewClient();
        var taskId = build.Child("tasks", "build-app");

        var task = await client.RegistryTasks.CreateOrUpdateAsync(
            taskId,
            new RegistryTaskDefinition("westeurope", RegistryTaskIdentityType.SystemAssigned, [], DockerBuild(
                "baseacr.azurecr.io/runtime:8",
                new JsonObject { ["baseacr.azurecr.io"] = new JsonObject { ["identity"] = "[system]" } }))
            {
                Tags = new Dictionary<string, string> { ["owner"] = "tests" },
            },
            CancellationToken.None);

        Assert.Equal(taskId, task.Id);
        Assert.Equal(build, task.RegistryId);
        Assert.Equal("Succeeded", task.ProvisioningState);
        Assert.Equal("Docker", task.StepType);
        Assert.Equal(RegistryTaskIdentityType.SystemAssigned, task.Identity!.Type);
        Assert.True(Guid.TryParse(task.SystemPrincipalId, out _));
        Assert.Equal(env.Server.TenantId, task.Identity.TenantId);
        Assert.Equal("[system]", task.CustomRegistryIdentities["baseacr.azurecr.io"]);
        Assert.Equal("tests", task.Tags["owner"]);
        var read = await client.RegistryTasks.GetAsync(taskId, CancellationToken.None);
        Assert.Equal(task.SystemPrincipalId, read?.SystemPrincipalId);
        Assert.True(JsonNode.DeepEquals(task.Properties, read?.Properties));

        // The principal exists only now that the task does: grant, then run. ARM accepts the assignment at once
        // (principalType ServicePrincipal), but the registry honours it only after propagation.
        await client.RoleAssignments.EnsureAsync(bases, task.SystemPrincipalId!, BuiltInRoles.AcrPull, CancellationToken.None);

        var scheduled = await client.RegistryTasks.ScheduleRunAsync(taskId, CancellationToken.None);
        Assert.Equal(RegistryRunStatus.Queued, scheduled.Status);
        Assert.Equal(build.Child("runs", scheduled.RunId), scheduled.Id);
        Assert.Null(scheduled.StartTime);
        env.Advance(TimeSpan.FromSeconds(1));
        var running = await client.RegistryTasks.GetRunAsync(build, scheduled.RunId, CancellationToken.None);
        Assert.Equal(RegistryRunStatus.Running, running!.Status);
        Assert.NotNull(running.StartTime);
        Assert.False(running.IsTerminal);
        env.Advance(TimeSpan.FromSeconds(1));
        var refused = await client.RegistryTasks.GetRunAsync(build, scheduled.RunId, CancellationToken.None);
        Assert.Equal(RegistryRunStatus.Failed, refused!.Status);
        Assert.Equal("failed during run, err: exit status 1", refused.RunErrorMessage);
        Assert.Equal("build-app", refused.TaskName);
        Assert.Empty(refused.OutputImages);

        env.Advance(Propagation);
        var succeeded = await RunToEndAsync(env, client, taskId);
        Assert.Equal(RegistryRunStatus.Succeeded, succeeded.Status);
        Assert.Null(succeeded.RunErrorMessage);
        Assert.Equal(TimeSpan.FromSeconds(1), succeeded.Duration);
        var image = Assert.Single(succeeded.OutputImages);
        Assert.Equal("buildacr.azurecr.io", image.Registry);
        Assert.Equal("app", image.Repository);
        Assert.Equal(succeeded.RunId, image.Tag);
        Assert.StartsWith("sha256:", image.Digest, StringComparison.Ordinal);
        Assert.Equal($"buildacr.azurecr.io/app:{succeeded.RunId}@{image.Digest}", image.Reference);

        var runs = await client.RegistryTasks.ListTaskRunsAsync(taskId, null, CancellationToken.None);
        Assert.Equal([succeeded.RunId, refused.RunId], runs.Select(r => r.RunId));
        var failures = await client.RegistryTasks.ListRunsAsync(build, "Status eq 'Failed'", 10, CancellationToken.None);
        Assert.Equal(refused.RunId, Assert.Single(failures).RunId);
        Assert.Single(await client.RegistryTasks.ListRunsAsync(build, null, 1, CancellationToken.None));
        Assert.Null(await client.RegistryTasks.GetRunAsync(build, "nosuchrun", CancellationToken.None));

        Assert.True(await client.RegistryTasks.DeleteAsync(taskId, CancellationToken.None));
        Assert.False(await client.RegistryTasks.DeleteAsync(taskId, CancellationToken.None));
        Assert.Null(await client.RegistryTasks.GetAsync(taskId, CancellationToken.None));
        Assert.Empty(env.RejectedRequests());
    }

    [Fact]
    public async Task A_user_assigned_identity_on_a_network_restricted_registry_is_refused_where_the_system_identity_is_trusted()
    {
        await using var env = await StartAsync();
        await env.CreateResourceGroupAsync("ci");
        var build = await env.CreateRegistryAsync("ci", "buildacr");
        var locked = await env.CreateRegistryAsync("ci", "lockedacr", "Premium", new JsonObject
        {
            ["publicNetworkAccess"] = "Disabled",
            ["networkRuleBypassOptions"] = "AzureServices",
            ["networkRuleSet"] = new JsonObject { ["defaultAction"] = "Deny" },
        });
        env.Server.PushImage("lockedacr", "runtime", "8");
        var client = env.NewClient();
        var identity = (await client.Identities.EnsureAsync(
            ArmResourceId.ForResource(env.SubscriptionId, "ci", UserAssignedIdentityClient.ResourceType, "task-puller"), "westeurope", null, CancellationToken.None)).Resource;

        var userTask = await client.RegistryTasks.CreateOrUpdateAsync(
            build.Child("tasks", "user-task"),
            new RegistryTaskDefinition("westeurope", RegistryTaskIdentityType.UserAssigned, [identity.Id], DockerBuild(
                "lockedacr.azurecr.io/runtime:8",
                new JsonObject { ["lockedacr.azurecr.io"] = new JsonObject { ["identity"] = identity.ClientId } })),
            CancellationToken.None);
        var systemTask = await client.RegistryTasks.CreateOrUpdateAsync(
            build.Child("tasks", "system-task"),
            new RegistryTaskDefinition("westeurope", RegistryTaskIdentityType.SystemAssigned, [], DockerBuild(
                "lockedacr.azurecr.io/runtime:8",
                new JsonObject { ["lockedacr.azurecr.io"] = new JsonObject { ["identity"] = "[system]" } })),
            CancellationToken.None);

        Assert.Equal(RegistryTaskIdentityType.UserAssigned, userTask.Identity!.Type);
        Assert.Null(userTask.SystemPrincipalId);
        var attached = Assert.Single(userTask.Identity.UserAssigned);
        Assert.Equal(identity.Id, attached.Id);
        Assert.Equal(identity.ClientId, attached.ClientId);
        Assert.Equal(identity.PrincipalId, attached.PrincipalId);

        await client.RoleAssignments.EnsureAsync(locked, identity.PrincipalId, BuiltInRoles.AcrPull, CancellationToken.None);
        await client.RoleAssignments.EnsureAsync(locked, systemTask.SystemPrincipalId!, BuiltInRoles.AcrPull, CancellationToken.None);
        env.Advance(Propagation);

        var user = await RunToEndAsync(env, client, userTask.Id);
        var system = await RunToEndAsync(env, client, systemTask.Id);
        Assert.Equal(RegistryRunStatus.Failed, user.Status);
        Assert.Equal(RegistryRunStatus.Succeeded, system.Status);
        Assert.Empty(env.RejectedRequests());
    }

    [Fact]
    public async Task A_run_of_a_task_that_does_not_exist_is_a_permanent_404()
    {
        await using var env = await StartAsync();
        await env.CreateResourceGroupAsync("ci");
        var build = await env.CreateRegistryAsync("ci", "buildacr");
        var client = env.NewClient();

        var error = await Assert.ThrowsAsync<ArmException>(() => client.RegistryTasks.ScheduleRunAsync(build.Child("tasks", "missing"), CancellationToken.None));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.Code);
        Assert.Equal(ArmErrorKind.Permanent, error.Kind);
        Assert.Null(await client.RegistryTasks.GetAsync(build.Child("tasks", "missing"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => client.RegistryTasks.GetRunAsync(build.Child("tasks", "missing"), "ca1", CancellationToken.None));
    }
}
