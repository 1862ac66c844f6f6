namespace Provisioning.Templates;

/// <summary>A role the template's identity is granted, as written.</summary>
/// <param name="Role">The role as written: a built-in role name (e.g. <c>AcrPull</c>) or a role definition GUID.</param>
/// <param name="RoleDefinitionId">The role definition GUID the role stands for.</param>
/// <param name="Scope">The scope (a resource id, possibly an expression such as <c>[parameters('registryId')]</c>).</param>
public sealed record TemplateGrant(string Role, Guid RoleDefinitionId, string Scope);
