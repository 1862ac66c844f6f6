namespace Provisioning.Requests;

/// <summary>A template as <c>GET /api/templates</c> lists it.</summary>
/// <param name="Name">Its name, the <c>{template}</c> of the start route.</param>
/// <param name="Description">What it provisions.</param>
/// <param name="Parameters">Its parameters.</param>
public sealed record TemplateSummary(string Name, string? Description, IEnumerable<TemplateParameterSummary> Parameters);
