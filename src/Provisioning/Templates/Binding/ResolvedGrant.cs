using Provisioning.Arm.Authorization;
using Provisioning.Arm.Resources;

namespace Provisioning.Templates.Binding;

/// <summary>A role to grant the identity at a scope.</summary>
/// <param name="RoleDefinitionId">The role definition GUID.</param>
/// <param name="RoleName">The built-in role's name, or null for a role given by GUID only.</param>
/// <param name="Scope">Where the role applies (e.g. the registry).</param>
public sealed record ResolvedGrant(Guid RoleDefinitionId, string? RoleName, ArmResourceId Scope)
{
    /// <summary>The full role definition id for a role assignment body at <see cref="Scope"/>.</summary>
    public string RoleDefinitionResourceId => BuiltInRoles.DefinitionId(Scope.SubscriptionId, RoleDefinitionId);
}
