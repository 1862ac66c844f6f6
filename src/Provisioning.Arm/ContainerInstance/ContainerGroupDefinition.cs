using System.Text.Json.Nodes;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>
/// What to PUT for a container group (Microsoft.ContainerInstance/containerGroups): location, identity and
/// properties, in the shape of the ARM resource body. Registry pulls use identities only: this model has no
/// place for a registry password.
/// </summary>
/// <param name="Location">The Azure region, e.g. <c>westeurope</c>.</param>
/// <param name="Identity">The identities assigned to the group.</param>
/// <param name="Properties">The group's containers and networking.</param>
public sealed record ContainerGroupDefinition(string Location, ContainerGroupIdentity? Identity, ContainerGroupProperties Properties)
{
    /// <summary>Resource tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The request body ARM expects for a PUT (a new object each call).</summary>
    public JsonObject ToArmBody()
    {
        var body = new JsonObject { ["location"] = Location };
        if (Tags.Count > 0)
        {
            var tags = new JsonObject();
            foreach (var (key, value) in Tags)
            {
                tags[key] = value;
            }
            body["tags"] = tags;
        }
        if (Identity is not null)
        {
            body["identity"] = Identity.ToArmJson();
        }
        body["properties"] = Properties.ToArmJson();
        return body;
    }
}
