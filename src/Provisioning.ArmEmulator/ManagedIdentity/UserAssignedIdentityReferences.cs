using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.ManagedIdentity;

/// <summary>
/// The <c>identity.userAssignedIdentities</c> map of a resource body, as ARM stores it: each id resolved to the identity
/// with its <c>principalId</c> and <c>clientId</c>; an id that is no user-assigned identity is refused with
/// <c>400 FailedIdentityOperation</c>, in the wording of the resource provider asking.
/// </summary>
internal static class UserAssignedIdentityReferences
{
    /// <summary>The short wording (ACR Tasks, Container Apps).</summary>
    public static string NotFound(string id) => $"Identity operation for resource failed with error 'Resource '{id}' was not found.'.";

    /// <summary>The wording with the status and response (Container Instances, Compute).</summary>
    public static string NotFoundWithResponse(string id) =>
        $"Identity operation for resource failed with error 'Failed to perform resource identity operation. Status: 'NotFound'. Response: 'Resource '{id}' was not found.''.";

    /// <summary>Resolves every id of <paramref name="map"/>; throws <see cref="ArmException"/> with <paramref name="notFound"/>'s message for one that is missing.</summary>
    public static JsonObject Resolve(EmulatorContext context, JsonObject map, Func<string, string> notFound)
    {
        var resolved = new JsonObject();
        foreach (var (id, _) in map)
        {
            var uai = context.Store.Find(id);
            if (uai is null || !uai.Type.Equals(UserAssignedIdentityHandler.Type, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArmException(HttpStatusCode.BadRequest, "FailedIdentityOperation", notFound(id));
            }

            resolved[uai.Id] = new JsonObject
            {
                ["principalId"] = uai.Document["properties"]!["principalId"]!.DeepClone(),
                ["clientId"] = uai.Document["properties"]!["clientId"]!.DeepClone(),
            };
        }

        return resolved;
    }
}
