using System.Text.Json.Nodes;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>One container of a container group.</summary>
/// <param name="Name">The container name (1–63 lowercase letters, digits and hyphens).</param>
/// <param name="Image">The image reference, e.g. <c>myacr.azurecr.io/web:1.0</c>.</param>
/// <param name="Command">The command override, or empty for the image's entrypoint.</param>
/// <param name="Ports">The ports the container exposes.</param>
/// <param name="EnvironmentVariables">The environment variables.</param>
/// <param name="Requests">The CPU and memory requested.</param>
public sealed record Container(
    string Name,
    string Image,
    IReadOnlyList<string> Command,
    IReadOnlyList<ContainerPort> Ports,
    IReadOnlyList<EnvironmentVariable> EnvironmentVariables,
    ResourceRequests Requests)
{
    internal JsonObject ToArmJson()
    {
        var properties = new JsonObject { ["image"] = Image };
        if (Command.Count > 0)
        {
            properties["command"] = new JsonArray(Command.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        }
        if (Ports.Count > 0)
        {
            properties["ports"] = new JsonArray(Ports.Select(p => (JsonNode)p.ToArmJson()).ToArray());
        }
        if (EnvironmentVariables.Count > 0)
        {
            properties["environmentVariables"] = new JsonArray(EnvironmentVariables.Select(e => (JsonNode)e.ToArmJson()).ToArray());
        }
        properties["resources"] = new JsonObject { ["requests"] = Requests.ToArmJson() };
        return new JsonObject { ["name"] = Name, ["properties"] = properties };
    }
}
