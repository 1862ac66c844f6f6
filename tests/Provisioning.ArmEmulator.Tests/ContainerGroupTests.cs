using System.Net;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.Tests;

public sealed class ContainerGroupTests
{
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    private sealed record Setup(TestEmulator E, string IdentityId, string PrincipalId, string RegistryId, string GroupPath);

    private static async Task<Setup> PrepareAsync(TestEmulator e)
    {
        await e.CreateGroupAsync("rg");
        var identity = await e.CreateIdentityAsync("rg", "pull-id");
        var registry = await e.CreateRegistryAsync("rg", "myacr");
        Assert.NotNull(e.Server.PushImage("myacr", "app", "v1"));
        return new Setup(e, identity["id"]!.GetValue<string>(), identity["properties"]!["principalId"]!.GetValue<string>(), registry["id"]!.GetValue<string>(), $"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/demo");
    }

    private static string GroupBody(string identityId, string credentialIdentity, string image = "myacr.azurecr.io/app:v1", string os = "Linux", string restartPolicy = "Always") => $$"""
        {
          "location": "westeurope",
          "identity": { "type": "UserAssigned", "userAssignedIdentities": { "{{identityId}}": {} } },
          "properties": {
            "containers": [ { "name": "demo1", "properties": { "image": "{{image}}", "command": [], "ports": [ { "port": 80 } ],
              "environmentVariables": [], "resources": { "requests": { "cpu": 1, "memoryInGB": 1.5 } } } } ],
            "imageRegistryCredentials": [ { "server": "myacr.azurecr.io", "identity": "{{credentialIdentity}}" } ],
            "osType": "{{os}}",
            "restartPolicy": "{{restartPolicy}}",
            "ipAddress": { "type": "Public", "ports": [ { "protocol": "TCP", "port": 80 } ], "dnsNameLabel": "dnsnamelabel1" }
          }
        }
        """;

    private static async Task<JsonObject> PollAsync(TestEmulator e, HttpResponseMessage put)
    {
        var operation = put.Headers.GetValues("Azure-AsyncOperation").Single();
        Assert.NotNull(put.Headers.RetryAfter);
        Assert.Equal("InProgress", (await TestEmulator.JsonAsync(await e.Http.GetAsync(operation)))["status"]!.GetValue<string>());
        e.Time.Advance(TimeSpan.FromSeconds(3));
        return await TestEmulator.JsonAsync(await e.Http.GetAsync(operation));
    }

    [Theory]
    [InlineData("2025-09-01")]
    [InlineData("2023-05-01")]
    public async Task Identity_pull_succeeds_once_the_grant_has_propagated(string apiVersion)
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        await e.GrantAsync(s.RegistryId, s.PrincipalId, AcrPull);
        e.Time.Advance(TimeSpan.FromSeconds(30));

        using var put = await e.PutAsync(s.GroupPath, apiVersion, GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Pending", (await TestEmulator.JsonAsync(put))["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("Succeeded", (await PollAsync(e, put))["status"]!.GetValue<string>());

        var group = await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath, apiVersion));
        Assert.Equal("Succeeded", group["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("Running", group["properties"]!["instanceView"]!["state"]!.GetValue<string>());
        var view = group["properties"]!["containers"]![0]!["properties"]!["instanceView"]!;
        Assert.Equal("Running", view["currentState"]!["state"]!.GetValue<string>());
        Assert.Contains(view["events"]!.AsArray(), ev => ev!["name"]!.GetValue<string>() == "Pulled");
        Assert.Equal("dnsnamelabel1.westeurope.azurecontainer.io", group["properties"]!["ipAddress"]!["fqdn"]!.GetValue<string>());
        Assert.NotNull(group["identity"]!["userAssignedIdentities"]![s.IdentityId]!["principalId"]);
    }

    [Theory]
    [InlineData("Never")]
    [InlineData("OnFailure")]
    public async Task A_job_group_ends_Succeeded_with_its_containers_Terminated_with_exit_code_0(string restartPolicy)
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        await e.GrantAsync(s.RegistryId, s.PrincipalId, AcrPull);
        e.Time.Advance(TimeSpan.FromSeconds(30));

        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId, restartPolicy: restartPolicy));
        Assert.Equal("Succeeded", (await PollAsync(e, put))["status"]!.GetValue<string>());

        var group = await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath, "2025-09-01"));
        Assert.Equal("Succeeded", group["properties"]!["provisioningState"]!.GetValue<string>());
        Assert.Equal("Succeeded", group["properties"]!["instanceView"]!["state"]!.GetValue<string>());
        var current = group["properties"]!["containers"]![0]!["properties"]!["instanceView"]!["currentState"]!;
        Assert.Equal("Terminated", current["state"]!.GetValue<string>());
        Assert.Equal("Completed", current["detailStatus"]!.GetValue<string>());
        Assert.Equal(0, current["exitCode"]!.GetValue<int>());
        Assert.NotNull(current["finishTime"]);
    }

    [Fact]
    public async Task Pull_before_propagation_leaves_a_Failed_group_with_pull_events_until_deleted()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        await e.GrantAsync(s.RegistryId, s.PrincipalId, AcrPull);

        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var status = await PollAsync(e, put);
        Assert.Equal("Failed", status["status"]!.GetValue<string>());
        Assert.Equal("InaccessibleImage", status["error"]!["code"]!.GetValue<string>());
        // ACI gives the reasons as events of the operation status too.
        Assert.Contains(status["properties"]!["events"]!.AsArray(), ev => ev!["message"]!.GetValue<string>().StartsWith("Failed to pull image", StringComparison.Ordinal));

        var group = await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath, "2025-09-01"));
        Assert.Equal("Failed", group["properties"]!["provisioningState"]!.GetValue<string>());
        var events = group["properties"]!["containers"]![0]!["properties"]!["instanceView"]!["events"]!.AsArray().Select(ev => ev!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["Pulling", "Failed", "Failed", "BackOff"], events);

        e.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Contains(e.Server.GetInventory(), i => i.Id.EndsWith("/demo", StringComparison.Ordinal) && i.ProvisioningState == "Failed");

        var failedLog = await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath + "/containers/demo1/logs", "2025-09-01"));
        Assert.Contains("Failed: Failed to pull image \"myacr.azurecr.io/app:v1\"", failedLog["content"]!.GetValue<string>(), StringComparison.Ordinal);

        // ContainerGroups_Restart's only success answer is 204, long-running: the operation headers come with it.
        using var restart = await e.PostAsync(s.GroupPath + "/restart", "2025-09-01");
        Assert.Equal(HttpStatusCode.NoContent, restart.StatusCode);
        var restartOperation = restart.Headers.GetValues("Azure-AsyncOperation").Single();
        Assert.Equal("InProgress", (await TestEmulator.JsonAsync(await e.Http.GetAsync(restartOperation)))["status"]!.GetValue<string>());
        e.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("Succeeded", (await TestEmulator.JsonAsync(await e.Http.GetAsync(restartOperation)))["status"]!.GetValue<string>());
        var restarted = await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath, "2025-09-01"));
        Assert.Equal("Running", restarted["properties"]!["instanceView"]!["state"]!.GetValue<string>());
        var restartedLog = await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath + "/containers/demo1/logs?tail=1", "2025-09-01"));
        Assert.Equal("Started: Started container\n", restartedLog["content"]!.GetValue<string>());

        using var delete = await e.DeleteAsync(s.GroupPath, "2025-09-01");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        e.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(e.Server.GetInventory(), i => i.Id.EndsWith("/demo", StringComparison.Ordinal));
        using var deleteAgain = await e.DeleteAsync(s.GroupPath, "2025-09-01");
        Assert.Equal(HttpStatusCode.NoContent, deleteAgain.StatusCode);
    }

    [Fact]
    public async Task Without_any_grant_the_group_fails_and_synchronous_mode_answers_InaccessibleImage()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal("Failed", (await PollAsync(e, put))["status"]!.GetValue<string>());

        e.Server.Faults.Update(f => f with { SynchronousPullFailures = true });
        using var sync = await e.PutAsync(s.GroupPath.Replace("/demo", "/demo2", StringComparison.Ordinal), "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal(HttpStatusCode.BadRequest, sync.StatusCode);
        var error = (await TestEmulator.JsonAsync(sync))["error"]!;
        Assert.Equal("InaccessibleImage", error["code"]!.GetValue<string>());
        Assert.Contains("is not accessible", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_registry_credentials_than_containers_is_refused_before_anything_is_created()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        var body = JsonNode.Parse(GroupBody(s.IdentityId, s.IdentityId))!;
        body["properties"]!["imageRegistryCredentials"]!.AsArray().Add(new JsonObject { ["server"] = "other.azurecr.io", ["identity"] = s.IdentityId });

        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", body.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("MoreImageRegistryCredentialsThanContainers", await TestEmulator.ErrorCodeAsync(put));
        Assert.DoesNotContain(e.Server.GetInventory(), i => i.Id.EndsWith("/demo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_PUT_while_the_group_is_transitioning_is_409_ContainerGroupTransitioning_and_succeeds_once_it_settles()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        await e.GrantAsync(s.RegistryId, s.PrincipalId, AcrPull);
        e.Time.Advance(TimeSpan.FromSeconds(30));
        using var create = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);

        using var again = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("ContainerGroupTransitioning", await TestEmulator.ErrorCodeAsync(again));

        e.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("Succeeded", (await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath, "2025-09-01")))["properties"]!["provisioningState"]!.GetValue<string>());
        using var settled = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal(HttpStatusCode.OK, settled.StatusCode);
    }

    [Fact]
    public async Task A_region_without_capacity_answers_409_ServiceUnavailable_naming_the_location()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        e.Server.Faults.Update(f => f with { RegionsWithoutCapacity = ["westeurope"] });

        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));

        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        var error = (await TestEmulator.JsonAsync(put))["error"]!;
        Assert.Equal("ServiceUnavailable", error["code"]!.GetValue<string>());
        Assert.Contains("not available in the location 'westeurope'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_that_cannot_start_fails_with_a_Normal_typed_FailedMount_event_in_the_operation_status()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        await e.GrantAsync(s.RegistryId, s.PrincipalId, AcrPull);
        e.Time.Advance(TimeSpan.FromSeconds(30));
        e.Server.Faults.Update(f => f with { FailingResources = ["demo"] });

        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        var status = await PollAsync(e, put);

        Assert.Equal("Failed", status["status"]!.GetValue<string>());
        var failure = Assert.Single(status["properties"]!["events"]!.AsArray())!;
        Assert.Equal("FailedMount", failure["name"]!.GetValue<string>());
        Assert.Equal("Normal", failure["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("restartPolicy", "OnFailure")]
    [InlineData("osType", "Windows")]
    public async Task A_PUT_that_changes_what_ACI_cannot_update_in_place_is_refused_and_an_image_change_is_accepted(string property, string value)
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        await e.GrantAsync(s.RegistryId, s.PrincipalId, AcrPull);
        e.Time.Advance(TimeSpan.FromSeconds(30));
        using var create = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        e.Time.Advance(TimeSpan.FromSeconds(3));

        var changed = JsonNode.Parse(GroupBody(s.IdentityId, s.IdentityId))!;
        changed["properties"]![property] = value;
        using var refused = await e.PutAsync(s.GroupPath, "2025-09-01", changed.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("InvalidContainerGroupUpdate", await TestEmulator.ErrorCodeAsync(refused));

        Assert.NotNull(e.Server.PushImage("myacr", "app", "v2"));
        using var image = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId, image: "myacr.azurecr.io/app:v2"));
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
    }

    [Fact]
    public async Task Missing_image_without_credentials_is_InaccessibleImage_synchronously()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        var body = JsonNode.Parse(GroupBody(s.IdentityId, s.IdentityId, "myacr.azurecr.io/app:v1"))!;
        body["properties"]!.AsObject().Remove("imageRegistryCredentials");
        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", body.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("InaccessibleImage", await TestEmulator.ErrorCodeAsync(put));
    }

    [Fact]
    public async Task Credential_identity_must_be_attached_user_assigned()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        var other = (await e.CreateIdentityAsync("rg", "other-id"))["id"]!.GetValue<string>();
        using var notAttached = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, other));
        Assert.Equal(HttpStatusCode.BadRequest, notAttached.StatusCode);
        Assert.Equal("InvalidImageRegistryIdentity", await TestEmulator.ErrorCodeAsync(notAttached));

        var system = JsonNode.Parse(GroupBody(s.IdentityId, "[system]"))!;
        system["identity"]!["type"] = "SystemAssigned, UserAssigned";
        using var systemAssigned = await e.PutAsync(s.GroupPath, "2025-09-01", system.ToJsonString());
        Assert.Equal("InvalidImageRegistryIdentity", await TestEmulator.ErrorCodeAsync(systemAssigned));

        using var windowsSystem = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, "[system]", os: "Windows"));
        Assert.Equal("InvalidImageRegistryIdentity", await TestEmulator.ErrorCodeAsync(windowsSystem));
    }

    [Fact]
    public async Task Network_restricted_registry_needs_trusted_services_for_identity_pulls()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        await e.GrantAsync(s.RegistryId, s.PrincipalId, AcrPull);
        e.Time.Advance(TimeSpan.FromMinutes(1));
        using var patch = await e.PatchAsync(s.RegistryId, "2025-11-01", """{"properties":{"publicNetworkAccess":"Disabled","networkRuleBypassOptions":"None"}}""");
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal("Failed", (await PollAsync(e, put))["status"]!.GetValue<string>());

        using var allow = await e.PatchAsync(s.RegistryId, "2025-11-01", """{"properties":{"networkRuleBypassOptions":"AzureServices"}}""");
        using var put2 = await e.PutAsync(s.GroupPath.Replace("/demo", "/demo2", StringComparison.Ordinal), "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal("Succeeded", (await PollAsync(e, put2))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schema_rejections_name_rules_and_stop_start_list()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        var wrongType = JsonNode.Parse(GroupBody(s.IdentityId, s.IdentityId))!;
        wrongType["properties"]!["containers"]![0]!["properties"]!["resources"]!["requests"]!["cpu"] = "lots";
        using var badCpu = await e.PutAsync(s.GroupPath, "2025-09-01", wrongType.ToJsonString());
        Assert.Equal("properties.containers[0].properties.resources.requests.cpu", (await TestEmulator.JsonAsync(badCpu))["error"]!["target"]!.GetValue<string>());

        var badEnum = JsonNode.Parse(GroupBody(s.IdentityId, s.IdentityId))!;
        badEnum["identity"]!["type"] = "Everything";
        using var enumResponse = await e.PutAsync(s.GroupPath, "2025-09-01", badEnum.ToJsonString());
        Assert.Equal("identity.type", (await TestEmulator.JsonAsync(enumResponse))["error"]!["target"]!.GetValue<string>());

        var noContainers = JsonNode.Parse(GroupBody(s.IdentityId, s.IdentityId))!;
        noContainers["properties"]!.AsObject().Remove("containers");
        using var missing = await e.PutAsync(s.GroupPath, "2025-09-01", noContainers.ToJsonString());
        Assert.Equal("properties.containers", (await TestEmulator.JsonAsync(missing))["error"]!["target"]!.GetValue<string>());

        var readOnly = JsonNode.Parse(GroupBody(s.IdentityId, s.IdentityId, "mcr.microsoft.com/azuredocs/aci-helloworld"))!;
        readOnly["properties"]!["provisioningState"] = "Succeeded";
        using var ok = await e.PutAsync(s.GroupPath, "2025-09-01", readOnly.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        e.Time.Advance(TimeSpan.FromSeconds(3));

        using var badName = await e.PutAsync(s.GroupPath.Replace("/demo", "/Demo-", StringComparison.Ordinal), "2025-09-01", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal("InvalidResourceName", await TestEmulator.ErrorCodeAsync(badName));

        using var stop = await e.PostAsync(s.GroupPath + "/stop", "2025-09-01");
        Assert.Equal(HttpStatusCode.NoContent, stop.StatusCode);
        var stopped = await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath, "2025-09-01"));
        Assert.Equal("Stopped", stopped["properties"]!["instanceView"]!["state"]!.GetValue<string>());
        using var start = await e.PostAsync(s.GroupPath + "/start", "2025-09-01");
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Single(start.Headers.GetValues("Azure-AsyncOperation"));
        e.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("Running", (await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath, "2025-09-01")))["properties"]!["instanceView"]!["state"]!.GetValue<string>());
        using var startRunning = await e.PostAsync(s.GroupPath + "/start", "2025-09-01");
        Assert.Equal(HttpStatusCode.NoContent, startRunning.StatusCode);

        var listed = await TestEmulator.JsonAsync(await e.GetAsync($"{e.Sub}/providers/Microsoft.ContainerInstance/containerGroups", "2025-09-01"));
        Assert.Single(listed["value"]!.AsArray());
        var byGroup = await TestEmulator.JsonAsync(await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups", "2025-09-01"));
        Assert.Single(byGroup["value"]!.AsArray());
        using var missingAction = await e.PostAsync(s.GroupPath.Replace("/demo", "/nope", StringComparison.Ordinal) + "/restart", "2025-09-01");
        Assert.Equal(HttpStatusCode.NotFound, missingAction.StatusCode);
    }

    [Fact]
    public async Task Secure_values_and_registry_passwords_are_never_read_back()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        var body = JsonNode.Parse(GroupBody(s.IdentityId, s.IdentityId, "mcr.microsoft.com/azuredocs/aci-helloworld"))!;
        body["properties"]!["containers"]![0]!["properties"]!["environmentVariables"] = JsonNode.Parse("""[ { "name": "PLAIN", "value": "visible" }, { "name": "SECRET", "secureValue": "hunter2" } ]""");
        body["properties"]!["imageRegistryCredentials"] = JsonNode.Parse("""[ { "server": "myacr.azurecr.io", "username": "myacr", "password": "p4ss" } ]""");

        using var put = await e.PutAsync(s.GroupPath, "2025-09-01", body.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var fromPut = await TestEmulator.JsonAsync(put);
        e.Time.Advance(TimeSpan.FromSeconds(3));
        var fromGet = await TestEmulator.JsonAsync(await e.GetAsync(s.GroupPath, "2025-09-01"));
        var fromList = (await TestEmulator.JsonAsync(await e.GetAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups", "2025-09-01")))["value"]![0]!.AsObject();

        foreach (var read in new[] { fromPut, fromGet, fromList })
        {
            var variables = read["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]!.AsArray();
            Assert.Equal("visible", variables[0]!["value"]!.GetValue<string>());
            Assert.Equal("SECRET", variables[1]!["name"]!.GetValue<string>());
            Assert.False(variables[1]!.AsObject().ContainsKey("secureValue"));
            var credential = read["properties"]!["imageRegistryCredentials"]![0]!.AsObject();
            Assert.Equal("myacr", credential["username"]!.GetValue<string>());
            Assert.False(credential.ContainsKey("password"));
            Assert.DoesNotContain("hunter2", read.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("p4ss", read.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Container_logs_tell_the_container_story_with_tail_and_timestamps()
    {
        await using var e = await TestEmulator.StartAsync();
        var s = await PrepareAsync(e);
        await e.GrantAsync(s.RegistryId, s.PrincipalId, AcrPull);
        e.Time.Advance(TimeSpan.FromSeconds(30));
        var logs = s.GroupPath + "/containers/demo1/logs";

        using var noGroup = await e.GetAsync(logs, "2025-09-01");
        Assert.Equal(HttpStatusCode.NotFound, noGroup.StatusCode);
        var noGroupError = (await TestEmulator.JsonAsync(noGroup))["error"]!;
        Assert.Equal("ResourceNotFound", noGroupError["code"]!.GetValue<string>());
        Assert.Contains("'Microsoft.ContainerInstance/containerGroups/demo' under resource group 'rg'", noGroupError["message"]!.GetValue<string>(), StringComparison.Ordinal);

        using var put = await e.PutAsync(s.GroupPath, "2022-10-01-preview", GroupBody(s.IdentityId, s.IdentityId));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var early = await e.GetAsync(logs, "2022-10-01-preview");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        Assert.Equal("ContainerLogNotAvailable", await TestEmulator.ErrorCodeAsync(early));

        e.Time.Advance(TimeSpan.FromSeconds(3));
        using var ok = await e.GetAsync(logs, "2022-10-01-preview");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(
            "Pulling: pulling image \"myacr.azurecr.io/app:v1\"\nPulled: Successfully pulled image \"myacr.azurecr.io/app:v1\"\nStarted: Started container\n",
            (await TestEmulator.JsonAsync(ok))["content"]!.GetValue<string>());

        var stamped = (await TestEmulator.JsonAsync(await e.GetAsync(logs + "?tail=2&timestamps=true", "2025-09-01")))["content"]!.GetValue<string>();
        var lines = stamped.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("2026-01-01T00:00:", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(" Started: Started container", lines[1], StringComparison.Ordinal);

        using var noContainer = await e.GetAsync(s.GroupPath + "/containers/nope/logs", "2025-09-01");
        Assert.Equal(HttpStatusCode.NotFound, noContainer.StatusCode);
        Assert.Equal("ResourceNotFound", await TestEmulator.ErrorCodeAsync(noContainer));
        using var badVersion = await e.GetAsync(logs, "2099-01-01");
        Assert.Equal("NoRegisteredProviderFound", await TestEmulator.ErrorCodeAsync(badVersion));
    }

    [Fact]
    public async Task Abac_registry_ignores_AcrPull_and_honours_Repository_Reader()
    {
        await using var e = await TestEmulator.StartAsync();
        await e.CreateGroupAsync("rg");
        var identity = await e.CreateIdentityAsync("rg", "pull-id");
        var registry = (await e.CreateRegistryAsync("rg", "myacr", """{"roleAssignmentMode":"AbacRepositoryPermissions"}"""))["id"]!.GetValue<string>();
        e.Server.PushImage("myacr", "app", "v1");
        var principal = identity["properties"]!["principalId"]!.GetValue<string>();
        var identityId = identity["id"]!.GetValue<string>();
        var groupPath = $"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/abac";
        await e.GrantAsync(registry, principal, AcrPull);
        e.Time.Advance(TimeSpan.FromMinutes(1));
        using var refused = await e.PutAsync(groupPath, "2025-09-01", GroupBody(identityId, identityId));
        Assert.Equal("Failed", (await PollAsync(e, refused))["status"]!.GetValue<string>());

        await e.GrantAsync(registry, principal, "b93aa761-3e63-49ed-ac28-beffa264f7ac");
        e.Time.Advance(TimeSpan.FromMinutes(1));
        using var allowed = await e.PutAsync(groupPath, "2025-09-01", GroupBody(identityId, identityId));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("Succeeded", (await PollAsync(e, allowed))["status"]!.GetValue<string>());
    }
}
