namespace Provisioning.Templates.Binding;

/// <summary>A template with every parameter bound and every expression evaluated: exactly what to provision.</summary>
/// <param name="TemplateName">The template's name.</param>
/// <param name="Identity">The user-assigned identity.</param>
/// <param name="Grants">The role assignments for the identity.</param>
/// <param name="Workload">The container group.</param>
public sealed record ResolvedTemplate(string TemplateName, ResolvedIdentity Identity, IReadOnlyList<ResolvedGrant> Grants, ResolvedContainerGroup Workload);
