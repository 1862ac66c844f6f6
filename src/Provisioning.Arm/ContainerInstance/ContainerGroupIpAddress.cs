using System.Text.Json.Nodes;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>The group's IP address: public (optionally with a DNS label) or private (in a subnet).</summary>
/// <param name="Type">Public or Private.</param>
/// <param name="Ports">The ports exposed on the address.</param>
/// <param name="DnsNameLabel">The DNS label (public only), or null.</param>
public sealed record ContainerGroupIpAddress(IpAddressType Type, IReadOnlyList<ContainerPort> Ports, string? DnsNameLabel)
{
    internal JsonObject ToArmJson()
    {
        var address = new JsonObject
        {
            ["type"] = Type.ToString(),
            ["ports"] = new JsonArray(Ports.Select(p => (JsonNode)p.ToArmJson()).ToArray()),
        };
        if (DnsNameLabel is not null)
        {
            address["dnsNameLabel"] = DnsNameLabel;
        }
        return address;
    }
}
