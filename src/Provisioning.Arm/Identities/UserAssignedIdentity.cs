using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Identities;

/// <summary>A user-assigned managed identity as ARM returns it.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Location">Its region.</param>
/// <param name="PrincipalId">The service principal's object id (what role assignments name).</param>
/// <param name="ClientId">The application (client) id (what ACR task credentials name).</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="Tags">Resource tags.</param>
public sealed record UserAssignedIdentity(ArmResourceId Id, string Location, string PrincipalId, string ClientId, string TenantId, IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The identity name.</summary>
    public string Name => Id.Name;
}
