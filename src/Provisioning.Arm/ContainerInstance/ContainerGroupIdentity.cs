using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>The <c>identity</c> block of a container group.</summary>
/// <param name="Type">Which identities the group has.</param>
/// <param name="UserAssignedIdentities">The user-assigned identities' resource ids (empty for system-assigned only).</param>
public sealed record ContainerGroupIdentity(ContainerGroupIdentityType Type, IReadOnlyList<ArmResourceId> UserAssignedIdentities)
{
    /// <summary>The ARM text of <see cref="Type"/>.</summary>
    public string TypeText => Type switch
    {
        ContainerGroupIdentityType.SystemAssigned => "SystemAssigned",
        ContainerGroupIdentityType.UserAssigned => "UserAssigned",
        ContainerGroupIdentityType.SystemAssignedUserAssigned => "SystemAssigned, UserAssigned",
        _ => "None",
    };

    internal JsonObject ToArmJson()
    {
        var identity = new JsonObject { ["type"] = TypeText };
        if (UserAssignedIdentities.Count > 0)
        {
            var map = new JsonObject();
            foreach (var id in UserAssignedIdentities)
            {
                map[id.ToString()] = new JsonObject();
            }
            identity["userAssignedIdentities"] = map;
        }
        return identity;
    }
}
