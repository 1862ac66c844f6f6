using System.Text.Json.Nodes;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Templates;

public sealed class GoodTemplateTests
{
    private const string Subscription = "00000000-0000-0000-0000-00000000aaaa";
    private const string RegistryId = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/myregistry";
    private static readonly TemplateTarget Target = new(Subscription, "apps", "westeurope");

    private static async Task<TemplateCatalog> Catalog() => await TemplateCatalog.LoadFolderAsync(TemplateFiles.Good);

    [Fact]
    public async Task The_good_folder_loads_every_template_by_name()
    {
        var catalog = await Catalog();

        Assert.Equal(["private", "sidecar", "web", "windows"], catalog.Names);
    }

    [Fact]
    public async Task A_single_container_template_with_a_dns_label_binds_to_the_arm_body()
    {
        var catalog = await Catalog();
        Assert.True(catalog.TryGet("web", out var template));

        var resolved = template.Bind(new Dictionary<string, JsonNode?>
        {
            ["image"] = "myregistry.azurecr.io/web:1.4.2",
            ["registryId"] = RegistryId,
        }, Target);

        Assert.Equal("/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller", resolved.Identity!.ResourceId.ToString());
        Assert.Equal("westeurope", resolved.Identity.Location);
        var grant = Assert.Single(resolved.Grants);
        Assert.Equal(BuiltInRoles.AcrPull, grant.RoleDefinitionId);
        Assert.Equal("AcrPull", grant.RoleName);
        Assert.Equal(RegistryId, grant.Scope.ToString());
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-00000000aaaa/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d", grant.RoleDefinitionResourceId);
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/apps/providers/Microsoft.ContainerInstance/containerGroups/web", resolved.Workload.ResourceId.ToString());

        var expected = JsonNode.Parse("""
        {
          "location": "westeurope",
          "tags": { "app": "web" },
          "identity": {
            "type": "UserAssigned",
            "userAssignedIdentities": {
              "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller": {}
            }
          },
          "properties": {
            "containers": [
              {
                "name": "web",
                "properties": {
                  "image": "myregistry.azurecr.io/web:1.4.2",
                  "ports": [ { "port": 80 } ],
                  "environmentVariables": [ { "name": "MODE", "value": "production" } ],
                  "resources": { "requests": { "cpu": 1, "memoryInGB": 1.5 } }
                }
              }
            ],
            "imageRegistryCredentials": [
              {
                "server": "myregistry.azurecr.io",
                "identity": "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller"
              }
            ],
            "ipAddress": { "type": "Public", "ports": [ { "port": 80, "protocol": "TCP" } ], "dnsNameLabel": "web-demo-01" },
            "osType": "Linux",
            "restartPolicy": "Always"
          }
        }
        """);
        Assert.True(JsonNode.DeepEquals(expected, resolved.Workload.Body), resolved.Workload.Body.ToJsonString());
    }

    [Fact]
    public async Task A_multi_container_json_template_binds_secure_values_without_showing_them()
    {
        var catalog = await Catalog();
        Assert.True(catalog.TryGet("sidecar", out var template));

        var resolved = template.Bind(new Dictionary<string, JsonNode?>
        {
            ["image"] = "myregistry.azurecr.io/app:7",
            ["registryId"] = RegistryId,
            ["apiKey"] = "s3cret-value",
        }, Target);

        var body = resolved.Workload.Body;
        var containers = body["properties"]!["containers"]!.AsArray();
        Assert.Equal(["app", "proxy"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""["/bin/sh", "-c", "./serve"]"""), containers[0]!["properties"]!["command"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "cpu": 0.5, "memoryInGB": 0.5 }"""), containers[1]!["properties"]!["resources"]!["requests"]));
        Assert.Equal("OnFailure", body["properties"]!["restartPolicy"]!.GetValue<string>());
        Assert.Equal("s3cret-value", body["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]![0]!["secureValue"]!.GetValue<string>());
        Assert.Null(body["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]![0]!["value"]);
    }

    [Fact]
    public async Task A_vnet_template_binds_a_private_address_and_the_subnet()
    {
        var catalog = await Catalog();
        Assert.True(catalog.TryGet("private", out var template));
        const string subnet = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci";

        var resolved = template.Bind(new Dictionary<string, JsonNode?>
        {
            ["image"] = "privateregistry.azurecr.io/api:3",
            ["registryId"] = RegistryId,
            ["subnetId"] = subnet,
        }, Target);

        var body = resolved.Workload.Body;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$"""[{ "id": "{{subnet}}", "name": "aci" }]"""), body["properties"]!["subnetIds"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "type": "Private", "ports": [{ "port": 8080 }] }"""), body["properties"]!["ipAddress"]));
        Assert.Equal(BuiltInRoles.ContainerRegistryRepositoryReader, Assert.Single(resolved.Grants).RoleDefinitionId);
    }

    [Fact]
    public async Task A_windows_template_binds_with_the_user_assigned_identity_only_and_concatenated_image()
    {
        var catalog = await Catalog();
        Assert.True(catalog.TryGet("windows", out var template));

        var resolved = template.Bind(new Dictionary<string, JsonNode?> { ["registryId"] = RegistryId }, Target with { Location = null });

        var body = resolved.Workload.Body;
        Assert.Equal("Windows", body["properties"]!["osType"]!.GetValue<string>());
        Assert.Equal("UserAssigned", body["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("myregistry.azurecr.io/job:ltsc2022", body["properties"]!["containers"]![0]!["properties"]!["image"]!.GetValue<string>());
        Assert.Null(body["properties"]!["ipAddress"]);
        Assert.Equal("westus2", resolved.Identity!.Location);
        Assert.Equal("AcrPull", Assert.Single(resolved.Grants).RoleName);
    }

    [Fact]
    public async Task Binding_twice_with_the_same_inputs_gives_equal_bodies()
    {
        var catalog = await Catalog();
        Assert.True(catalog.TryGet("web", out var template));
        var parameters = new Dictionary<string, JsonNode?> { ["image"] = "myregistry.azurecr.io/web:1", ["registryId"] = RegistryId };

        var first = template.Bind(parameters, Target);
        var second = template.Bind(parameters, Target);

        Assert.Equal(first.Identity, second.Identity);
        Assert.Equal(first.Workload.ResourceId, second.Workload.ResourceId);
        Assert.Equal(first.Workload.Body.ToJsonString(), second.Workload.Body.ToJsonString());
    }
}
