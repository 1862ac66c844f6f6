using System.Text.Json.Nodes;

namespace Provisioning.Templates;

/// <summary>A declared parameter of a template.</summary>
/// <param name="Name">The parameter name, as used in <c>[parameters('name')]</c>.</param>
/// <param name="Type">The parameter type.</param>
/// <param name="DefaultValueJson">The default value as JSON text, or null when the parameter is required.</param>
/// <param name="AllowedValuesJson">The allowed values as JSON texts, or empty for any value of the type.</param>
/// <param name="Description">What the parameter is for.</param>
public sealed record TemplateParameter(string Name, TemplateParameterType Type, string? DefaultValueJson, IReadOnlyList<string> AllowedValuesJson, string? Description)
{
    /// <summary>Whether a value must be supplied at bind time.</summary>
    public bool IsRequired => DefaultValueJson is null;

    internal JsonNode? DefaultValue => DefaultValueJson is null ? null : JsonNode.Parse(DefaultValueJson);
}
