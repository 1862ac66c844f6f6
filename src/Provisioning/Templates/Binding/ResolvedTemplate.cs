using Provisioning.Workloads;

namespace Provisioning.Templates.Binding;

/// <summary>A template with every parameter bound and every expression evaluated: exactly what to provision.</summary>
/// <param name="TemplateName">The template's name.</param>
/// <param name="Identity">The user-assigned identity; null when the workload pulls with its system-assigned one.</param>
/// <param name="Grants">The role assignments for the identity.</param>
/// <param name="Workload">The workload: its kind, id and body.</param>
public sealed record ResolvedTemplate(string TemplateName, ResolvedIdentity? Identity, IReadOnlyList<ResolvedGrant> Grants, ResolvedWorkload Workload);
