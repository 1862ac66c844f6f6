using System.Text.Json.Nodes;
using Provisioning.Arm.ContainerRegistry;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Unit;

/// <summary>Task bodies and the reading of tasks and runs, against the REST spec's 2025-03-01-preview examples.</summary>
public sealed class RegistryTaskBodyTests
{
    private static readonly ArmResourceId Identity = ArmResourceId.Parse("/subscriptions/4385cf00-2d3a-425a-832f-f4285b1c9dce/resourceGroups/myResourceGroup/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myIdentity");

    [Fact]
    public void The_body_has_location_tags_identity_and_a_copy_of_the_properties()
    {
        var properties = JsonNode.Parse("""{"platform":{"os":"Linux","architecture":"amd64"},"agentConfiguration":{"cpu":2},"step":{"type":"EncodedTask","encodedTaskContent":"c3RlcHM6"}}""")!.AsObject();
        var definition = new RegistryTaskDefinition("eastus", RegistryTaskIdentityType.SystemAssignedUserAssigned, [Identity], properties)
        {
            Tags = new Dictionary<string, string> { ["testkey"] = "value" },
        };

        var body = definition.ToArmBody();
        body["properties"]!["platform"]!["os"] = "Windows";

        var expected = JsonNode.Parse("""
            {"location":"eastus","tags":{"testkey":"value"},
             "identity":{"type":"SystemAssigned, UserAssigned","userAssignedIdentities":{"IDENTITY":{}}},
             "properties":{"platform":{"os":"Windows","architecture":"amd64"},"agentConfiguration":{"cpu":2},"step":{"type":"EncodedTask","encodedTaskContent":"c3RlcHM6"}}}
            """.Replace("IDENTITY", Identity.ToString(), StringComparison.Ordinal));
        Assert.True(JsonNode.DeepEquals(expected, body), body.ToJsonString());
        Assert.Equal("Linux", properties["platform"]!["os"]!.GetValue<string>());
        Assert.False(new RegistryTaskDefinition("eastus", RegistryTaskIdentityType.None, [], properties).ToArmBody().ContainsKey("identity"));
    }

    [Theory]
    [InlineData(RegistryTaskIdentityType.UserAssigned, false)]
    [InlineData(RegistryTaskIdentityType.SystemAssigned, true)]
    public void Identity_type_and_user_identities_must_agree(RegistryTaskIdentityType type, bool withIdentities)
    {
        var definition = new RegistryTaskDefinition("eastus", type, withIdentities ? [Identity] : [], []);

        Assert.Throws<ArgumentException>(() => definition.ToArmBody());
    }

    [Fact]
    public void A_created_task_with_a_system_identity_is_read_from_the_spec_example()
    {
        // Tasks_Create_WithUserIdentities_WithSystemIdentity, 201 (provisioningState Creating).
        var task = RegistryTaskClient.ReadTask(JsonNode.Parse("""
            {"name":"myTask","type":"Microsoft.ContainerRegistry/registries/tasks",
             "id":"/subscriptions/4385cf00-2d3a-425a-832f-f4285b1c9dce/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry/tasks/myTask",
             "identity":{"type":"SystemAssigned","principalId":"fa153151-b9fd-46f4-9088-5e6600f2689v","tenantId":"f686d426-8d16-42db-81b7-abu4gm510ccd"},
             "location":"eastus",
             "properties":{"agentConfiguration":{"cpu":2},"creationDate":"2018-01-25T06:54:23.536Z","isSystemTask":false,"logTemplate":null,
               "platform":{"architecture":"amd64","os":"Linux"},"provisioningState":"Creating","status":"Enabled",
               "step":{"type":"Docker","contextPath":"src","dockerFilePath":"src/DockerFile","imageNames":["azurerest:testtag"],"isPushEnabled":true,"noCache":false},
               "credentials":{"customRegistries":{"myregistry.azurecr.io":{"identity":"[system]"},"other.azurecr.io":{"userName":{"type":"Opaque","value":"u"}}}}},
             "tags":{"testkey":"value"}}
            """));

        Assert.Equal("myTask", task.Name);
        Assert.Equal("myRegistry", task.RegistryId.Name);
        Assert.Equal("Creating", task.ProvisioningState);
        Assert.Equal("Docker", task.StepType);
        Assert.Equal(RegistryTaskIdentityType.SystemAssigned, task.Identity!.Type);
        Assert.Equal("fa153151-b9fd-46f4-9088-5e6600f2689v", task.SystemPrincipalId);
        Assert.Equal("[system]", task.CustomRegistryIdentities["MYREGISTRY.azurecr.io"]);
        Assert.Null(task.CustomRegistryIdentities["other.azurecr.io"]);
        Assert.Equal("value", task.Tags["testkey"]);
    }

    [Fact]
    public void A_run_is_read_from_the_spec_list_example_and_unknown_statuses_stay_readable()
    {
        // Runs_List, 2025-03-01-preview (trimmed).
        var run = RegistryTaskClient.ReadRun(JsonNode.Parse("""
            {"properties":{"provisioningState":"Succeeded","runId":"0accec26-d6de-4757-8e74-d080f38eaaab","status":"Succeeded",
               "lastUpdatedTime":"2018-01-25T05:13:51.617Z","runType":"AutoBuild","createTime":"2018-01-25T05:13:51.618Z",
               "startTime":"2018-01-25T05:50:51.618Z","finishTime":"2018-01-25T06:13:51.618Z",
               "outputImages":[{"registry":"myregistry.azurecr.io","repository":"myimage","tag":"latest","digest":"sha256:cbbf2f9a99b47fc460d422812b6a5adff7dfee951d8fa2e4a98caa0"}],
               "task":"myTask"},
             "id":"/subscriptions/4385cf00-2d3a-425a-832f-f4285b1c9dce/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry/runs/0accec26-d6de-4757-8e74-d080f38eaaab",
             "name":"0accec26-d6de-4757-8e74-d080f38eaaab","type":"Microsoft.ContainerRegistry/registries/runs"}
            """));

        Assert.Equal("0accec26-d6de-4757-8e74-d080f38eaaab", run.RunId);
        Assert.Equal(RegistryRunStatus.Succeeded, run.Status);
        Assert.True(run.IsTerminal);
        Assert.Equal("AutoBuild", run.RunType);
        Assert.Equal("myTask", run.TaskName);
        Assert.Equal(TimeSpan.FromMinutes(23), run.Duration);
        Assert.Equal("myregistry.azurecr.io/myimage:latest@sha256:cbbf2f9a99b47fc460d422812b6a5adff7dfee951d8fa2e4a98caa0", Assert.Single(run.OutputImages).Reference);
        Assert.Equal(new DateTimeOffset(2018, 1, 25, 5, 13, 51, 617, TimeSpan.Zero), run.LastUpdatedTime);

        var odd = RegistryTaskClient.ReadRun(JsonNode.Parse("""{"id":"/subscriptions/4385cf00-2d3a-425a-832f-f4285b1c9dce/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r/runs/ca1","name":"ca1","properties":{"status":"Paused","outputImages":null}}"""));
        Assert.Equal(RegistryRunStatus.Unknown, odd.Status);
        Assert.Equal("Paused", odd.StatusText);
        Assert.False(odd.IsTerminal);
        Assert.Empty(odd.OutputImages);
        Assert.Equal(RegistryRunStatus.Unknown, RegistryTaskClient.ReadRun(JsonNode.Parse("""{"id":"/subscriptions/4385cf00-2d3a-425a-832f-f4285b1c9dce/resourceGroups/g/providers/Microsoft.ContainerRegistry/registries/r/runs/ca2","properties":{"runId":"ca2","status":"4"}}""")).Status);
    }
}
