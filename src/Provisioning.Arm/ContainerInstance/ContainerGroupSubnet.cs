using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>A subnet the group is deployed into (<c>subnetIds[]</c>).</summary>
/// <param name="Id">The subnet's resource id.</param>
/// <param name="Name">An optional display name.</param>
public sealed record ContainerGroupSubnet(ArmResourceId Id, string? Name = null)
{
    internal JsonObject ToArmJson()
    {
        var subnet = new JsonObject { ["id"] = Id.ToString() };
        if (Name is not null)
        {
            subnet["name"] = Name;
        }
        return subnet;
    }
}
