namespace Provisioning.Arm.ContainerRegistry;

/// <summary>A task's <c>identity</c> as ARM returns it.</summary>
/// <param name="Type">The identity kinds.</param>
/// <param name="PrincipalId">The system-assigned principal's object id (what role assignments name), when the task has one.</param>
/// <param name="TenantId">The system-assigned principal's tenant, when the task has one.</param>
/// <param name="UserAssigned">The user-assigned identities.</param>
public sealed record RegistryTaskIdentity(
    RegistryTaskIdentityType Type,
    string? PrincipalId,
    string? TenantId,
    IReadOnlyList<RegistryTaskUserAssignedIdentity> UserAssigned)
{
    /// <summary>Whether the task has a system-assigned identity.</summary>
    public bool HasSystemAssigned => Type is RegistryTaskIdentityType.SystemAssigned or RegistryTaskIdentityType.SystemAssignedUserAssigned;
}
