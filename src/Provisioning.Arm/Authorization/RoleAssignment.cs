namespace Provisioning.Arm.Authorization;

/// <summary>A role assignment as ARM returns it.</summary>
/// <param name="Id">Its full id (<c>{scope}/providers/Microsoft.Authorization/roleAssignments/{name}</c>).</param>
/// <param name="Name">Its name (a GUID).</param>
/// <param name="Scope">The scope it applies at.</param>
/// <param name="RoleDefinitionId">The full role definition id.</param>
/// <param name="PrincipalId">The principal's object id.</param>
/// <param name="PrincipalType">The principal type (<c>ServicePrincipal</c>, <c>User</c>, …), when returned.</param>
public sealed record RoleAssignment(string Id, Guid Name, string Scope, string RoleDefinitionId, string PrincipalId, string? PrincipalType)
{
    /// <summary>The role definition GUID.</summary>
    public Guid RoleDefinitionGuid => RoleAssignmentName.RoleGuid(RoleDefinitionId);
}
