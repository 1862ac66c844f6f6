using System.Collections.Concurrent;
using Azure.Bicep.Types.Az;
using Azure.Bicep.Types.Concrete;
using Azure.Bicep.Types.Index;

namespace Provisioning.ArmEmulator.Validation;

/// <summary>
/// The official resource schemas from <c>Azure.Bicep.Types.Az</c>, loaded lazily and cached per type and api-version.
/// The same index says which api-versions Azure published for a type, so the emulator serves exactly those.
/// </summary>
internal sealed class SchemaCatalog
{
    private static readonly Lazy<(AzTypeLoader Loader, TypeIndex Index, Dictionary<string, Azure.Bicep.Types.CrossFileTypeReference> Resources)> Loaded = new(() =>
    {
        var loader = new AzTypeLoader();
        var index = loader.LoadTypeIndex();
        var resources = new Dictionary<string, Azure.Bicep.Types.CrossFileTypeReference>(index.Resources, StringComparer.OrdinalIgnoreCase);
        return (loader, index, resources);
    });

    private readonly ConcurrentDictionary<string, ResourceType?> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _versions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Loads the index in the background so the first request does not pay for it.</summary>
    public static void Warm() => _ = Task.Run(() => Loaded.Value);

    /// <summary>The schema for a type (e.g. <c>Microsoft.ManagedIdentity/userAssignedIdentities</c>) at an api-version, or null.</summary>
    public ResourceType? Find(string type, string apiVersion) =>
        _cache.GetOrAdd(type + "@" + apiVersion, static key =>
        {
            var (loader, _, resources) = Loaded.Value;
            return resources.TryGetValue(key, out var reference) ? loader.LoadResourceType(reference) : null;
        });

    /// <summary>
    /// Every api-version the index lists for a type, newest first (ordinal order on <c>yyyy-MM-dd[-suffix]</c> is date
    /// order, and puts a preview after the stable version of the same day, as ARM's own lists do); empty for an unknown type.
    /// </summary>
    public IReadOnlyList<string> ApiVersions(string type) =>
        _versions.GetOrAdd(type, static t =>
        {
            var prefix = t + "@";
            return Loaded.Value.Index.Resources.Keys
                .Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Select(k => k[prefix.Length..])
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderDescending(StringComparer.Ordinal)
                .ToArray();
        });
}
