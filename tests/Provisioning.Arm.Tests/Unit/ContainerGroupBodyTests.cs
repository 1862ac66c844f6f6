using System.Text.Json.Nodes;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Operations;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Unit;

/// <summary>The PUT body has the shape of the REST spec's ContainerGroupsCreateOrUpdate examples (2025-09-01).</summary>
public sealed class ContainerGroupBodyTests
{
    private static readonly ArmResourceId Identity = ArmResourceId.Parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identity-name");
    private static readonly ArmResourceId Subnet = ArmResourceId.Parse("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci");

    [Fact]
    public void A_private_group_body_has_identity_credentials_subnets_and_no_dns_label()
    {
        var definition = new ContainerGroupDefinition(
            "westus",
            new ContainerGroupIdentity(ContainerGroupIdentityType.SystemAssignedUserAssigned, [Identity]),
            new ContainerGroupProperties(
                [new Container("demo1", "demoregistry.azurecr.io/nginx:1", ["/bin/sh"], [new ContainerPort(80, TransportProtocol.Udp)], [new EnvironmentVariable("A", "b", null)], new ResourceRequests(1, 1.5))],
                [new ImageRegistryCredential("demoregistry.azurecr.io", Identity)],
                new ContainerGroupIpAddress(IpAddressType.Private, [new ContainerPort(80, TransportProtocol.Udp)], null),
                [new ContainerGroupSubnet(Subnet, "aci")],
                OperatingSystemType.Linux,
                null));

        var expected = JsonNode.Parse("""
        {
          "location": "westus",
          "identity": {
            "type": "SystemAssigned, UserAssigned",
            "userAssignedIdentities": { "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identity-name": {} }
          },
          "properties": {
            "containers": [ { "name": "demo1", "properties": {
              "image": "demoregistry.azurecr.io/nginx:1",
              "command": ["/bin/sh"],
              "ports": [ { "port": 80, "protocol": "UDP" } ],
              "environmentVariables": [ { "name": "A", "value": "b" } ],
              "resources": { "requests": { "cpu": 1, "memoryInGB": 1.5 } } } } ],
            "imageRegistryCredentials": [ { "server": "demoregistry.azurecr.io", "identity": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identity-name" } ],
            "ipAddress": { "type": "Private", "ports": [ { "port": 80, "protocol": "UDP" } ] },
            "subnetIds": [ { "id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci", "name": "aci" } ],
            "osType": "Linux"
          }
        }
        """);
        Assert.True(JsonNode.DeepEquals(expected, definition.ToArmBody()), definition.ToArmBody().ToJsonString());
    }

    [Fact]
    public void The_operation_handle_round_trips_through_json_as_plain_data()
    {
        var handle = new ArmOperationHandle(
            ArmOperationKind.Delete,
            "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/demo/providers/Microsoft.ContainerInstance/containerGroups/demo1",
            "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.ContainerInstance/locations/westus/operations/abc?api-version=2025-09-01",
            null,
            false,
            new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero),
            15);

        var json = handle.ToJson();

        Assert.Contains("\"kind\":\"Delete\"", json, StringComparison.Ordinal);
        Assert.Equal(handle, ArmOperationHandle.FromJson(json));
        Assert.Equal("demo1", ArmOperationHandle.FromJson(json).Resource.Name);
    }
}
