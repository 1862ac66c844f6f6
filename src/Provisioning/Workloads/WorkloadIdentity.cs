using Provisioning.Templates.Binding;

namespace Provisioning.Workloads;

/// <summary>The identity the workload pulls with, as the run ensured it, and the grants it needs.</summary>
/// <param name="SystemAssigned">True for the resource's own identity: the kind grants <paramref name="Grants"/> after creating the resource.</param>
/// <param name="Id">The user-assigned identity's resource id; null for a system-assigned one.</param>
/// <param name="PrincipalId">The user-assigned identity's principal; null for a system-assigned one until the resource exists.</param>
/// <param name="ClientId">The user-assigned identity's client id; null for a system-assigned one.</param>
/// <param name="Grants">The roles to grant: already granted for a user-assigned identity, to grant for a system-assigned one.</param>
public sealed record WorkloadIdentity(bool SystemAssigned, string? Id, string? PrincipalId, string? ClientId, IReadOnlyList<ResolvedGrant> Grants);
