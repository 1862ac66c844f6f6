using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>An identity-based registry credential: the login server and the user-assigned identity that pulls.</summary>
/// <param name="Server">The registry login server without scheme, e.g. <c>myacr.azurecr.io</c>.</param>
/// <param name="Identity">The user-assigned identity's resource id.</param>
public sealed record ImageRegistryCredential(string Server, ArmResourceId Identity)
{
    internal JsonObject ToArmJson() => new() { ["server"] = Server, ["identity"] = Identity.ToString() };
}
