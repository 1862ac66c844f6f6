using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.State;

/// <summary>
/// A part of the emulated Azure whose state is saved (resources, the directory, operations, event subscriptions,
/// pending deliveries). Its entries are keyed <c>{Prefix}|{key}</c>; every method runs under the store lock.
/// </summary>
internal interface IPersistentState
{
    /// <summary>The prefix of this part's keys (no <c>|</c>).</summary>
    string Prefix { get; }

    /// <summary>From now on, remember what changes (called once, when state is saved; otherwise nothing is tracked).</summary>
    void StartTracking();

    /// <summary>Writes the entries changed since the last call (a null value for a removed one) and forgets them.</summary>
    void WriteChanges(StateWriter writer);

    /// <summary>Writes every entry (a snapshot).</summary>
    void WriteAll(StateWriter writer);

    /// <summary>Restores one entry read back at start (its key without the prefix).</summary>
    void Restore(string key, JsonObject value);
}

/// <summary>Writes entries of a change record or a snapshot: <c>"prefix|key": value</c>, or <c>null</c> for a removal.</summary>
internal sealed class StateWriter(Utf8JsonWriter json)
{
    public int Count { get; private set; }

    /// <summary>Starts an entry; the caller writes its value (an object) to the returned writer.</summary>
    public Utf8JsonWriter Put(string prefix, string key)
    {
        json.WritePropertyName(prefix + "|" + key);
        Count++;
        return json;
    }

    /// <summary>Records that an entry is gone.</summary>
    public void Delete(string prefix, string key)
    {
        json.WriteNull(prefix + "|" + key);
        Count++;
    }
}
