using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.State;

/// <summary>
/// One resource held by the emulator. Mutated only under <see cref="ResourceStore.Sync"/>. Setting
/// <see cref="Document"/> or <see cref="ChangedAt"/> marks it changed for the saved state; a provider that mutates its
/// <see cref="State"/> in place calls <see cref="Touch"/>.
/// </summary>
internal sealed class StoredResource
{
    private JsonObject _document = null!;
    private DateTimeOffset _changedAt;

    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    public required string SubscriptionId { get; init; }

    public string? ResourceGroup { get; init; }

    public required JsonObject Document
    {
        get => _document;
        set
        {
            _document = value;
            Touch();
        }
    }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ChangedAt
    {
        get => _changedAt;
        set
        {
            _changedAt = value;
            Touch();
        }
    }

    /// <summary>Provider-specific state (container group run state, registry images, ...).</summary>
    public object? State { get; set; }

    public string? Location => Document["location"]?.GetValue<string>();

    public string? ProvisioningState => Document["properties"]?["provisioningState"]?.GetValue<string>();

    /// <summary>The store holding it (set when it is put there).</summary>
    internal ResourceStore? Owner { get; set; }

    /// <summary>Marks the resource changed (its state was mutated in place).</summary>
    public void Touch() => Owner?.MarkChanged(Id);
}
