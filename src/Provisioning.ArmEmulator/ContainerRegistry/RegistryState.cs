namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>A registry's data plane: repositories → tags → digest, and its admin passwords. Mutated under the store lock.</summary>
internal sealed class RegistryState
{
    public Dictionary<string, Dictionary<string, string>> Repositories { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string[] AdminPasswords { get; init; } = [Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N")];

    public bool HasImage(string repository, string tagOrDigest) =>
        Repositories.TryGetValue(repository, out var tags)
        && (tags.ContainsKey(tagOrDigest) || tags.ContainsValue(tagOrDigest));
}
