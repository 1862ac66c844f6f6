namespace Provisioning.Soak;

/// <summary>A resource the audit read from the emulator.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="Type">Its type.</param>
/// <param name="OwnerTag">Its <c>provisioning.run</c> tag (identities and container groups).</param>
/// <param name="PrincipalId">An identity's principal, or the principal a role assignment grants.</param>
internal sealed record AuditedResource(string Id, string Type, string? OwnerTag, string? PrincipalId);
