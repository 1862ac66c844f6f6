using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.ManagedIdentity;

/// <summary>
/// The system-assigned identity of a resource, as ARM keeps it: created in the directory the first time the resource
/// asks for one, then the same principal on every later PUT (until the resource is deleted).
/// </summary>
internal static class SystemAssignedPrincipal
{
    /// <summary>
    /// Writes <c>principalId</c> and <c>tenantId</c> into <paramref name="identity"/>: the principal <paramref name="existing"/>
    /// already has, else a new one added to the directory under <paramref name="displayName"/>.
    /// </summary>
    public static void Assign(EmulatorContext context, JsonObject identity, StoredResource? existing, string displayName)
    {
        var principalId = existing?.Document["identity"]?["principalId"]?.GetValue<string>();
        if (principalId is null)
        {
            principalId = Guid.NewGuid().ToString();
            context.Directory.Add(new DirectoryPrincipal(principalId, Guid.NewGuid().ToString(), "ServicePrincipal", displayName, context.Time.GetUtcNow()));
        }

        identity["principalId"] = principalId;
        identity["tenantId"] = context.TenantId;
    }
}
