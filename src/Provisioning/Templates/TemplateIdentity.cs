namespace Provisioning.Templates;

/// <summary>The identity a template's workload pulls with, as written (values may be expressions).</summary>
/// <param name="Name">The user-assigned identity's name, e.g. <c>web-puller</c> or <c>[parameters('identityName')]</c>; empty for a system-assigned identity.</param>
/// <param name="Location">The region, or null for the workload's location.</param>
public sealed record TemplateIdentity(string Name, string? Location)
{
    /// <summary>The workload's own system-assigned identity (<c>type: SystemAssigned</c>) instead of a user-assigned one the run ensures.</summary>
    public bool SystemAssigned { get; init; }

    /// <summary>A system-assigned identity written with a name or location, which it cannot have.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    internal bool WrittenWithName { get; init; }
}
