namespace Provisioning.ArmEmulator.State;

/// <summary>Every resource the emulator holds, keyed by id (case-insensitive as ARM is).</summary>
internal sealed class ResourceStore
{
    private readonly Dictionary<string, StoredResource> _byId = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The lock every mutation (and every ARM request) takes.</summary>
    public object Sync { get; } = new();

    public StoredResource? Find(string id) => _byId.GetValueOrDefault(id);

    public void Put(StoredResource resource) => _byId[resource.Id] = resource;

    /// <summary>Raised (under the lock) after a resource is removed.</summary>
    public event Action<StoredResource>? Removed;

    public bool Remove(string id)
    {
        if (!_byId.Remove(id, out var removed))
        {
            return false;
        }

        Removed?.Invoke(removed);
        return true;
    }

    public IEnumerable<StoredResource> All => _byId.Values;

    /// <summary>Resources of a type whose id starts with the given scope.</summary>
    public IEnumerable<StoredResource> OfType(string type, string? scopePrefix = null) =>
        _byId.Values.Where(r => r.Type.Equals(type, StringComparison.OrdinalIgnoreCase)
            && (scopePrefix is null || IsAtOrBelow(r.Id, scopePrefix)))
            .OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="id"/> is <paramref name="scope"/> or below it.</summary>
    public static bool IsAtOrBelow(string id, string scope)
    {
        var s = scope.TrimEnd('/');
        return s.Length == 0
            || id.Equals(s, StringComparison.OrdinalIgnoreCase)
            || id.StartsWith(s + "/", StringComparison.OrdinalIgnoreCase);
    }
}
