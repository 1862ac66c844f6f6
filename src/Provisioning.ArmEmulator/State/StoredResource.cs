using System.Text.Json.Nodes;

namespace Provisioning.ArmEmulator.State;

/// <summary>
/// One resource held by the emulator. Mutated only under <see cref="ResourceStore.Sync"/>.
/// </summary>
internal sealed class StoredResource
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public required string Name { get; init; }

    public required string SubscriptionId { get; init; }

    public string? ResourceGroup { get; init; }

    public required JsonObject Document { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>Provider-specific state (container group run state, registry images, ...).</summary>
    public object? State { get; set; }

    public string? Location => Document["location"]?.GetValue<string>();

    public string? ProvisioningState => Document["properties"]?["provisioningState"]?.GetValue<string>();
}
