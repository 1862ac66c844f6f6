using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests;

public sealed class ContainerAppTests
{
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    private static async Task<string> EnvironmentAsync(TestEmulator e)
    {
        var path = $"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/testcontainerenv";
        // From ManagedEnvironments_CreateOrUpdate.json (trimmed).
        using var put = await e.PutAsync(path, "2025-01-01", """{"location":"westeurope","properties":{"zoneRedundant":false,"appLogsConfiguration":{"logAnalyticsConfiguration":{"customerId":"string","sharedKey":"string"}}}}""");
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Waiting", (await TestEmulator.JsonAsync(put))["properties"]!["provisioningState"]!.GetValue<string>());
        e.Time.Advance(TimeSpan.FromSeconds(3));
        var env = await TestEmulator.JsonAsync(await e.GetAsync(path, "2025-01-01"));
        Assert.Equal("Succeeded", env["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Null(env["properties"]!["appLogsConfiguration"]!["logAnalyticsConfiguration"]!["sharedKey"]);
        return env["id"]!.GetValue<string>();
    }

    private static string AppBody(string environmentId, string identityType, string userIdentities, string registryIdentity, string image = "myacr.azurecr.io/app:v1") => $$$$$"""
        {"location":"westeurope",
         "identity":{"type":"{{{{{identityType}}}}}"{{{{{userIdentities}}}}}},
         "properties":{"managedEnvironmentId":"{{{{{environmentId}}}}}",
           "configuration":{"ingress":{"external":true,"targetPort":3000},"registries":[{"server":"myacr.azurecr.io","identity":"{{{{{registryIdentity}}}}}"}]},
           "template":{"containers":[{"image":"{{{{{image}}}}}","name":"testcontainerapp0","resources":{"cpu":0.5,"memory":"1Gi"}}],"scale":{"minReplicas":1,"maxReplicas":3}}}}
        """;

    private static async Task<JsonObject> WaitAsync(TestEmulator e, HttpResponseMessage put)
    {
        var operation = put.Headers.GetValues("Azure-AsyncOperation").Single();
        e.Time.Advance(TimeSpan.FromSeconds(3));
        return await TestEmulator.JsonAsync(await e.Http.GetAsync(operation));
    }

    [Fact]
    public async Task User_assigned_identity_pull_succeeds_after_propagation_and_fails_before()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var environmentId = await EnvironmentAsync(e);
        var registry = (await e.CreateRegistryAsync("rg", "myacr"))["id"]!.GetValue<string>();
        e.Server.PushImage("myacr", "app", "v1");
        var identity = await e.CreateIdentityAsync("rg", "app-id");
        var id = identity["id"]!.GetValue<string>();
        await e.GrantAsync(registry, identity["properties"]!["principalId"]!.GetValue<string>(), AcrPull);
        var users = ",\"userAssignedIdentities\":{\"" + id + "\":{}}";

        using var early = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/early-app", "2025-01-01", AppBody(environmentId, "UserAssigned", users, id));
        Assert.Equal(HttpStatusCode.Created, early.StatusCode);
        var failed = await WaitAsync(e, early);
        Assert.Equal("Failed", failed["status"]!.GetValue<string>());
        Assert.Contains("template.containers.testcontainerapp0.image", failed["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        e.Time.Advance(TimeSpan.FromSeconds(30));
        using var late = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/late-app", "2025-01-01", AppBody(environmentId, "UserAssigned", users, id));
        Assert.Equal("Progressing", (await TestEmulator.JsonAsync(late))["properties"]!["runningStatus"]!.GetValue<string>());
        Assert.Equal("Succeeded", (await WaitAsync(e, late))["status"]!.GetValue<string>());
        var app = await TestEmulator.JsonAsync(await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/late-app", "2025-01-01"));
        Assert.Equal("Running", app["properties"]!["runningStatus"]!.GetValue<string>());
        Assert.NotNull(app["properties"]!["latestReadyRevisionName"]);
        Assert.EndsWith(".azurecontainerapps.io", app["properties"]!["configuration"]!["ingress"]!["fqdn"]!.GetValue<string>(), StringComparison.Ordinal);

        using var armPolicy = await e.PatchAsync(registry, "2025-11-01", """{"properties":{"policies":{"azureADAuthenticationAsArmPolicy":{"status":"disabled"}}}}""");
        Assert.Equal(HttpStatusCode.OK, armPolicy.StatusCode);
        using var refused = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/late-app", "2025-01-01", AppBody(environmentId, "UserAssigned", users, id));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal("Running", (await TestEmulator.JsonAsync(refused))["properties"]!["runningStatus"]!.GetValue<string>());
        Assert.Equal("Failed", (await WaitAsync(e, refused))["status"]!.GetValue<string>());

        // The failed revision leaves the app serving its last ready one.
        var stillServing = await TestEmulator.JsonAsync(await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/late-app", "2025-01-01"));
        Assert.Equal("Running", stillServing["properties"]!["runningStatus"]!.GetValue<string>());
        Assert.Equal(app["properties"]!["latestReadyRevisionName"]!.GetValue<string>(), stillServing["properties"]!["latestReadyRevisionName"]!.GetValue<string>());
    }

    [Fact]
    public async Task New_system_assigned_app_cannot_pull_a_private_image_and_unattached_identity_is_refused()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var environmentId = await EnvironmentAsync(e);
        await e.CreateRegistryAsync("rg", "myacr");
        e.Server.PushImage("myacr", "app", "v1");

        using var system = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/sys-app", "2025-01-01", AppBody(environmentId, "SystemAssigned", string.Empty, "system"));
        Assert.Equal(HttpStatusCode.Created, system.StatusCode);
        Assert.Equal("Failed", (await WaitAsync(e, system))["status"]!.GetValue<string>());

        var stray = (await e.CreateIdentityAsync("rg", "stray"))["id"]!.GetValue<string>();
        using var unattached = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/bad-app", "2025-01-01", AppBody(environmentId, "SystemAssigned", string.Empty, stray));
        Assert.Equal(HttpStatusCode.BadRequest, unattached.StatusCode);
        Assert.Equal("InvalidRegistryIdentity", await TestEmulator.ErrorCodeAsync(unattached));

        using var noEnvironment = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/lost-app", "2025-01-01", AppBody(environmentId + "x", "SystemAssigned", string.Empty, "system"));
        Assert.Equal("ManagedEnvironmentNotFound", await TestEmulator.ErrorCodeAsync(noEnvironment));

        using var badName = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/Bad_Name", "2025-01-01", AppBody(environmentId, "SystemAssigned", string.Empty, "system"));
        Assert.Equal("InvalidResourceName", await TestEmulator.ErrorCodeAsync(badName));

        using var deleteEnv = await e.DeleteAsync(environmentId, "2025-01-01");
        Assert.Equal(HttpStatusCode.Conflict, deleteEnv.StatusCode);
        using var deleteApp = await e.DeleteAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.App/containerApps/sys-app", "2025-01-01");
        Assert.Equal(HttpStatusCode.Accepted, deleteApp.StatusCode);
        e.Time.Advance(TimeSpan.FromSeconds(3));
        using var deleteEnvAgain = await e.DeleteAsync(environmentId, "2025-01-01");
        Assert.Equal(HttpStatusCode.Accepted, deleteEnvAgain.StatusCode);
    }
}
