using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.State;

/// <summary>
/// The emulated directory: principals appear to role-assignment checks only after the replication delay. Added to
/// under the store lock; saved with the resources (a principal is created with its identity, in the same unit of work).
/// </summary>
internal sealed class PrincipalDirectory(TimeProvider time) : IPersistentState
{
    private readonly ConcurrentDictionary<string, DirectoryPrincipal> _principals = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _added = new(StringComparer.OrdinalIgnoreCase);
    private bool _tracking;

    public void Add(DirectoryPrincipal principal)
    {
        _principals[principal.ObjectId] = principal;
        if (_tracking)
        {
            _added.Add(principal.ObjectId);
        }
    }

    public DirectoryPrincipal? Find(string objectId) => _principals.GetValueOrDefault(objectId);

    public DirectoryPrincipal? FindByClientId(string clientId) =>
        _principals.Values.FirstOrDefault(p => string.Equals(p.ClientId, clientId, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the directory already answers for the principal (exists and replicated).</summary>
    public bool IsReplicated(string objectId, TimeSpan replicationDelay) =>
        _principals.TryGetValue(objectId, out var p) && time.GetUtcNow() - p.CreatedAt >= replicationDelay;

    public IReadOnlyCollection<DirectoryPrincipal> All => [.. _principals.Values];

    string IPersistentState.Prefix => "principal";

    void IPersistentState.StartTracking() => _tracking = true;

    void IPersistentState.WriteChanges(StateWriter writer)
    {
        foreach (var id in _added)
        {
            if (_principals.TryGetValue(id, out var principal))
            {
                Write(writer, principal);
            }
        }

        _added.Clear();
    }

    void IPersistentState.WriteAll(StateWriter writer)
    {
        foreach (var principal in _principals.Values)
        {
            Write(writer, principal);
        }
    }

    void IPersistentState.Restore(string key, JsonObject value)
    {
        var principal = new DirectoryPrincipal((string)value["objectId"]!, (string?)value["clientId"], (string)value["principalType"]!, (string)value["displayName"]!, (DateTimeOffset)value["createdAt"]!);
        _principals[principal.ObjectId] = principal;
    }

    private static void Write(StateWriter writer, DirectoryPrincipal principal)
    {
        var json = writer.Put("principal", principal.ObjectId);
        json.WriteStartObject();
        json.WriteString("objectId", principal.ObjectId);
        if (principal.ClientId is not null)
        {
            json.WriteString("clientId", principal.ClientId);
        }

        json.WriteString("principalType", principal.PrincipalType);
        json.WriteString("displayName", principal.DisplayName);
        json.WriteString("createdAt", principal.CreatedAt);
        json.WriteEndObject();
    }
}
