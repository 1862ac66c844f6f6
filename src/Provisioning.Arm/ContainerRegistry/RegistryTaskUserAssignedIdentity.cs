using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerRegistry;

/// <summary>A user-assigned identity attached to a task, as the task reports it.</summary>
/// <param name="Id">The identity's resource id.</param>
/// <param name="PrincipalId">Its service principal's object id, if reported.</param>
/// <param name="ClientId">Its client id (what <c>credentials.customRegistries.*.identity</c> names), if reported.</param>
public sealed record RegistryTaskUserAssignedIdentity(ArmResourceId Id, string? PrincipalId, string? ClientId);
