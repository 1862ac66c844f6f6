using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Provisioning.Infra.Tests.Harness;

/// <summary>A resource of a compiled template, with the (possibly nested) template that declares it.</summary>
internal sealed record TemplateResource(string Path, JsonObject Resource, JsonObject DeclaringTemplate)
{
    public string Type => Resource["type"]!.GetValue<string>();

    public string ApiVersion => Resource["apiVersion"]!.GetValue<string>();

    public bool IsExisting => Resource["existing"] is JsonValue existing && existing.GetValue<bool>();

    public JsonObject? Properties => Resource["properties"] as JsonObject;

    public bool Is(string type) => string.Equals(Type, type, StringComparison.OrdinalIgnoreCase);

    /// <summary>A property as text, with <c>[variables('x')]</c> (and <c>variables('x').y</c>) replaced by literal variable values.</summary>
    public string? Text(JsonNode? node) => node is null ? null : TemplateResources.Resolve(node, DeclaringTemplate);
}

internal static partial class TemplateResources
{
    /// <summary>Every resource, depth first, including those of nested deployments (Microsoft.Resources/deployments).</summary>
    public static IEnumerable<TemplateResource> All(JsonObject template, string path = "")
    {
        IEnumerable<(string Key, JsonObject Resource)> resources = template["resources"] switch
        {
            JsonObject symbolic => symbolic.Select(entry => (entry.Key, entry.Value!.AsObject())),
            JsonArray array => array.Select((node, index) => (index.ToString(CultureInfo.InvariantCulture), node!.AsObject())),
            _ => [],
        };

        foreach (var (key, resource) in resources)
        {
            var item = new TemplateResource(path + key, resource, template);
            yield return item;
            if (item.Is("Microsoft.Resources/deployments") && item.Properties?["template"] is JsonObject nested)
            {
                foreach (var inner in All(nested, path + key + "/"))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The nested template of a module (a Microsoft.Resources/deployments resource) by its symbolic name.</summary>
    public static JsonObject Module(JsonObject template, string symbolicName) =>
        template["resources"]?[symbolicName]?["properties"]?["template"] as JsonObject
        ?? throw new InvalidOperationException($"No module '{symbolicName}' in the template.");

    /// <summary>A module's parameter value as passed by its parent.</summary>
    public static JsonNode? ModuleParameter(JsonObject template, string symbolicName, string parameter) =>
        template["resources"]?[symbolicName]?["properties"]?["parameters"]?[parameter]?["value"];

    public static string Resolve(JsonNode node, JsonObject template)
    {
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return node.ToJsonString();
        }

        var whole = WholeVariable().Match(text);
        if (whole.Success && template["variables"]?[whole.Groups["name"].Value] is JsonNode variable)
        {
            return Resolve(variable, template);
        }

        return VariableReference().Replace(text, match =>
        {
            JsonNode? current = template["variables"]?[match.Groups["name"].Value];
            foreach (var member in match.Groups["path"].Value.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                current = current?[member];
            }

            return current is JsonValue literal && literal.TryGetValue<string>(out var s) && !s.StartsWith('[')
                ? "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'"
                : match.Value;
        });
    }

    [GeneratedRegex(@"^\[variables\('(?<name>[^']+)'\)\]$")]
    private static partial Regex WholeVariable();

    [GeneratedRegex(@"variables\('(?<name>[^']+)'\)(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)*)")]
    private static partial Regex VariableReference();
}
