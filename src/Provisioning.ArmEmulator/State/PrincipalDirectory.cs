using System.Collections.Concurrent;

namespace Provisioning.ArmEmulator.State;

/// <summary>The emulated directory: principals appear to role-assignment checks only after the replication delay.</summary>
internal sealed class PrincipalDirectory(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DirectoryPrincipal> _principals = new(StringComparer.OrdinalIgnoreCase);

    public void Add(DirectoryPrincipal principal) => _principals[principal.ObjectId] = principal;

    public DirectoryPrincipal? Find(string objectId) => _principals.GetValueOrDefault(objectId);

    public DirectoryPrincipal? FindByClientId(string clientId) =>
        _principals.Values.FirstOrDefault(p => string.Equals(p.ClientId, clientId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the directory already answers for the principal (exists and replicated).</summary>
    public bool IsReplicated(string objectId, TimeSpan replicationDelay) =>
        _principals.TryGetValue(objectId, out var p) && time.GetUtcNow() - p.CreatedAt >= replicationDelay;

    public IReadOnlyCollection<DirectoryPrincipal> All => [.. _principals.Values];
}
