namespace Provisioning.Templates;

/// <summary>The user-assigned identity a template provisions, as written (values may be expressions).</summary>
/// <param name="Name">The identity name, e.g. <c>web-puller</c> or <c>[parameters('identityName')]</c>.</param>
/// <param name="Location">The region, or null for the workload's location.</param>
public sealed record TemplateIdentity(string Name, string? Location);
