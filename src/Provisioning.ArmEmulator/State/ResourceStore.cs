using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.State;

/// <summary>Every resource the emulator holds, keyed by id (case-insensitive as ARM is).</summary>
internal sealed class ResourceStore : IPersistentState
{
    private readonly Dictionary<string, StoredResource> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _changed = new(StringComparer.OrdinalIgnoreCase);
    private bool _tracking;

    /// <summary>The lock every mutation (and every ARM request) takes.</summary>
    public object Sync { get; } = new();

    public StoredResource? Find(string id) => _byId.GetValueOrDefault(id);

    public void Put(StoredResource resource)
    {
        resource.Owner = this;
        _byId[resource.Id] = resource;
        MarkChanged(resource.Id);
    }

    /// <summary>Raised (under the lock) after a resource is removed.</summary>
    public event Action<StoredResource>? Removed;

    public bool Remove(string id)
    {
        if (!_byId.Remove(id, out var removed))
        {
            return false;
        }

        MarkChanged(removed.Id);
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

    internal void MarkChanged(string id)
    {
        if (_tracking)
        {
            _changed.Add(id);
        }
    }

    string IPersistentState.Prefix => "resource";

    void IPersistentState.StartTracking() => _tracking = true;

    void IPersistentState.WriteChanges(StateWriter writer)
    {
        foreach (var id in _changed)
        {
            if (_byId.TryGetValue(id, out var resource))
            {
                Write(writer.Put("resource", resource.Id), resource);
            }
            else
            {
                writer.Delete("resource", id);
            }
        }

        _changed.Clear();
    }

    void IPersistentState.WriteAll(StateWriter writer)
    {
        foreach (var resource in _byId.Values)
        {
            Write(writer.Put("resource", resource.Id), resource);
        }
    }

    void IPersistentState.Restore(string key, JsonObject value)
    {
        var document = (JsonObject)value["document"]!;
        value.Remove("document");
        var resource = new StoredResource
        {
            Id = (string)value["id"]!,
            Type = (string)value["type"]!,
            Name = (string)value["name"]!,
            SubscriptionId = (string)value["subscriptionId"]!,
            ResourceGroup = (string?)value["resourceGroup"],
            Document = document,
            CreatedAt = (DateTimeOffset)value["createdAt"]!,
            ChangedAt = (DateTimeOffset)value["changedAt"]!,
            State = ResourceStateCodec.Read(value["state"] as JsonObject),
            Owner = this,
        };
        _byId[resource.Id] = resource;
    }

    private static void Write(Utf8JsonWriter json, StoredResource resource)
    {
        json.WriteStartObject();
        json.WriteString("id", resource.Id);
        json.WriteString("type", resource.Type);
        json.WriteString("name", resource.Name);
        json.WriteString("subscriptionId", resource.SubscriptionId);
        if (resource.ResourceGroup is not null)
        {
            json.WriteString("resourceGroup", resource.ResourceGroup);
        }

        json.WriteString("createdAt", resource.CreatedAt);
        json.WriteString("changedAt", resource.ChangedAt);
        json.WritePropertyName("document");
        resource.Document.WriteTo(json);
        if (resource.State is not null)
        {
            json.WritePropertyName("state");
            ResourceStateCodec.Write(json, resource.State);
        }

        json.WriteEndObject();
    }
}
