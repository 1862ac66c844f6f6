namespace Provisioning.Requests;

/// <summary>A template parameter as <c>GET /api/templates</c> lists it.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">Its type.</param>
/// <param name="Required">Whether a start must give it (it has no default).</param>
/// <param name="Description">What it is for.</param>
public sealed record TemplateParameterSummary(string Name, string Type, bool Required, string? Description);
