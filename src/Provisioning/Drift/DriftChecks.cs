namespace Provisioning.Drift;

/// <summary>The checks every drift scan runs, in the order their findings are reported.</summary>
internal static class DriftChecks
{
    public static IReadOnlyList<IDriftCheck> All { get; } =
    [
        new IdentityDrift(),
        new GrantDrift(),
        new WorkloadResourceDrift(),
        new KeyVaultAccessDrift(),
    ];
}
