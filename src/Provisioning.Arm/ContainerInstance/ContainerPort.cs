using System.Text.Json.Nodes;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>A port of a container or of the group's IP address.</summary>
/// <param name="Port">The port number (1–65535).</param>
/// <param name="Protocol">TCP or UDP, or null for Azure's default (TCP).</param>
public sealed record ContainerPort(int Port, TransportProtocol? Protocol = null)
{
    internal JsonObject ToArmJson()
    {
        var port = new JsonObject { ["port"] = Port };
        if (Protocol is { } protocol)
        {
            port["protocol"] = protocol == TransportProtocol.Udp ? "UDP" : "TCP";
        }
        return port;
    }
}
