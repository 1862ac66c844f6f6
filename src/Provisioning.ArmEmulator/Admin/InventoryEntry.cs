namespace Provisioning.ArmEmulator.Admin;

/// <summary>One resource that exists in the emulator.</summary>
/// <param name="Id">Resource id.</param>
/// <param name="Type">Resource type.</param>
/// <param name="Name">Name.</param>
/// <param name="ProvisioningState">Provisioning state, when the type has one.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record InventoryEntry(string Id, string Type, string Name, string? ProvisioningState, DateTimeOffset CreatedAt);
