using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerRegistry;

/// <summary>
/// What to PUT for an ACR task (<c>Microsoft.ContainerRegistry/registries/tasks</c>): location, identity and the
/// task's <c>properties</c> in the ARM shape (<c>platform</c>, <c>step</c> of type <c>Docker</c>/<c>FileTask</c>/<c>EncodedTask</c>,
/// <c>agentConfiguration</c>, <c>credentials.customRegistries</c>, <c>trigger</c>, <c>timeout</c>...), as a template holds them.
/// </summary>
/// <param name="Location">The Azure region, normally the registry's.</param>
/// <param name="IdentityType">The identity kinds to assign.</param>
/// <param name="UserAssignedIdentities">The user-assigned identities (for <see cref="RegistryTaskIdentityType.UserAssigned"/>
/// and <see cref="RegistryTaskIdentityType.SystemAssignedUserAssigned"/>).</param>
/// <param name="Properties">The task's <c>properties</c> object; it is copied into each request, never sent by reference.</param>
public sealed record RegistryTaskDefinition(
    string Location,
    RegistryTaskIdentityType IdentityType,
    IReadOnlyList<ArmResourceId> UserAssignedIdentities,
    JsonObject Properties)
{
    /// <summary>Resource tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The request body ARM expects for a PUT (a new object each call).</summary>
    /// <exception cref="ArgumentException">The identity type and the user-assigned list disagree.</exception>
    public JsonObject ToArmBody()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Location);
        ArgumentNullException.ThrowIfNull(Properties);
        var wantsUser = IdentityType is RegistryTaskIdentityType.UserAssigned or RegistryTaskIdentityType.SystemAssignedUserAssigned;
        if (wantsUser != (UserAssignedIdentities is { Count: > 0 }))
        {
            throw new ArgumentException(wantsUser
                ? $"Identity type {IdentityType} needs at least one user-assigned identity."
                : $"Identity type {IdentityType} takes no user-assigned identities; use UserAssigned or SystemAssignedUserAssigned.");
        }

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
        if (IdentityType != RegistryTaskIdentityType.None)
        {
            var identity = new JsonObject { ["type"] = RegistryTaskClient.IdentityTypeText(IdentityType) };
            if (wantsUser)
            {
                var map = new JsonObject();
                foreach (var id in UserAssignedIdentities)
                {
                    map[id.ToString()] = new JsonObject();
                }
                identity["userAssignedIdentities"] = map;
            }
            body["identity"] = identity;
        }
        body["properties"] = Properties.DeepClone();
        return body;
    }
}
