using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Compute;

/// <summary>A virtual machine as ARM returns it, read only for its identities (the grant-only kind grants to them).</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Location">Its region.</param>
/// <param name="IdentityType">ARM's <c>identity.type</c> (<c>SystemAssigned</c>, <c>UserAssigned</c>, <c>SystemAssigned, UserAssigned</c>, <c>None</c>), or null without one.</param>
/// <param name="SystemPrincipalId">The system-assigned identity's principal, or null when the VM has none.</param>
/// <param name="UserAssignedPrincipals">Each attached user-assigned identity's resource id and its principal.</param>
public sealed record VirtualMachine(ArmResourceId Id, string Location, string? IdentityType, string? SystemPrincipalId, IReadOnlyDictionary<string, string> UserAssignedPrincipals)
{
    /// <summary>The principal of the attached user-assigned identity <paramref name="identityId"/>, or null when it is not attached.</summary>
    /// <param name="identityId">The identity's resource id.</param>
    public string? UserAssignedPrincipal(ArmResourceId identityId)
    {
        ArgumentNullException.ThrowIfNull(identityId);
        return UserAssignedPrincipals.FirstOrDefault(entry => ArmResourceId.TryParse(entry.Key, out var id, out _) && id.Equals(identityId)).Value;
    }
}
