namespace Provisioning.Workloads.GrantOnly;

/// <summary>The principal a grant-only run grants to, as read from its target, or why it cannot.</summary>
/// <param name="PrincipalId">The principal's object id; null when <paramref name="Problem"/> says why there is none.</param>
/// <param name="Description">Which identity it is, for the status (e.g. "the system-assigned identity of the VM 'build'").</param>
/// <param name="Problem">The refusal with its fix, or null.</param>
public sealed record GrantPrincipal(string? PrincipalId, string Description, string? Problem);
