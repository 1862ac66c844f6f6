using System.Text.Json.Nodes;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>The <c>properties</c> of a container group that this project writes.</summary>
/// <param name="Containers">The containers (at least one).</param>
/// <param name="ImageRegistryCredentials">Identity-based registry credentials.</param>
/// <param name="IpAddress">The group's IP address, or null for none.</param>
/// <param name="SubnetIds">The VNet subnets for a private group.</param>
/// <param name="OsType">The operating system of the containers.</param>
/// <param name="RestartPolicy">The restart policy, or null for Azure's default (Always).</param>
public sealed record ContainerGroupProperties(
    IReadOnlyList<Container> Containers,
    IReadOnlyList<ImageRegistryCredential> ImageRegistryCredentials,
    ContainerGroupIpAddress? IpAddress,
    IReadOnlyList<ContainerGroupSubnet> SubnetIds,
    OperatingSystemType OsType,
    RestartPolicy? RestartPolicy)
{
    internal JsonObject ToArmJson()
    {
        var properties = new JsonObject
        {
            ["containers"] = new JsonArray(Containers.Select(c => (JsonNode)c.ToArmJson()).ToArray()),
        };
        if (ImageRegistryCredentials.Count > 0)
        {
            properties["imageRegistryCredentials"] = new JsonArray(ImageRegistryCredentials.Select(c => (JsonNode)c.ToArmJson()).ToArray());
        }
        if (IpAddress is not null)
        {
            properties["ipAddress"] = IpAddress.ToArmJson();
        }
        if (SubnetIds.Count > 0)
        {
            properties["subnetIds"] = new JsonArray(SubnetIds.Select(s => (JsonNode)s.ToArmJson()).ToArray());
        }
        properties["osType"] = OsType.ToString();
        if (RestartPolicy is { } policy)
        {
            properties["restartPolicy"] = policy.ToString();
        }
        return properties;
    }
}
