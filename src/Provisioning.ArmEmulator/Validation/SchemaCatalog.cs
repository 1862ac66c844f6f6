using System.Collections.Concurrent;
using Azure.Bicep.Types.Az;
using Azure.Bicep.Types.Concrete;
using Azure.Bicep.Types.Index;

namespace Provisioning.ArmEmulator.Validation;

/// <summary>
/// The official resource schemas from <c>Azure.Bicep.Types.Az</c>, loaded lazily and cached per type and api-version.
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

    /// <summary>Loads the index in the background so the first request does not pay for it.</summary>
    public static void Warm() => _ = Task.Run(() => Loaded.Value);

    /// <summary>The schema for a type (e.g. <c>Microsoft.ManagedIdentity/userAssignedIdentities</c>) at an api-version, or null.</summary>
    public ResourceType? Find(string type, string apiVersion) =>
        _cache.GetOrAdd(type + "@" + apiVersion, static key =>
        {
            var (loader, _, resources) = Loaded.Value;
            return resources.TryGetValue(key, out var reference) ? loader.LoadResourceType(reference) : null;
        });
}
