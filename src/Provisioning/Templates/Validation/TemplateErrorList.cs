using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Templates.Expressions;

namespace Provisioning.Templates.Validation;

/// <summary>
/// Collects the errors of one template file and reads typed values out of its JSON tree, recording an error
/// (with the field path) for each value of the wrong shape. In load mode (<see cref="Resolved"/> false)
/// expression strings are accepted anywhere and their values are checked at bind time.
/// </summary>
internal sealed class TemplateErrorList(string file, bool resolved)
{
    private readonly List<TemplateError> _errors = [];

    public string File => file;

    public bool Resolved => resolved;

    public IReadOnlyList<TemplateError> Errors => _errors;

    public bool HasErrors => _errors.Count > 0;

    public void Add(string path, string problem, string fix) => _errors.Add(new TemplateError(file, path, problem, fix));

    public void Add(string path, (string Problem, string Fix)? check)
    {
        if (check is { } found)
        {
            Add(path, found.Problem, found.Fix);
        }
    }

    /// <summary>Whether a node is an expression still to be evaluated (load mode only).</summary>
    public bool IsDeferred(JsonNode? node) =>
        !resolved && node is JsonValue value && value.TryGetValue<string>(out var text) && TemplateExpression.IsExpression(text);

    public JsonObject? Object(JsonNode? node, string path, bool required, string example)
    {
        switch (node)
        {
            case null when required:
                Add(path, "is missing", $"add '{path}', e.g. {example}");
                return null;
            case null:
                return null;
            case JsonObject obj:
                return obj;
            default:
                Add(path, $"must be an object, not {Describe(node)}", $"write '{path}' as a mapping, e.g. {example}");
                return null;
        }
    }

    public JsonArray? Array(JsonNode? node, string path, bool required, string example)
    {
        switch (node)
        {
            case null when required:
                Add(path, "is missing", $"add '{path}' as a list, e.g. {example}");
                return null;
            case null:
                return null;
            case JsonArray array:
                return array;
            default:
                Add(path, $"must be a list, not {Describe(node)}", $"write '{path}' as a list, e.g. {example}");
                return null;
        }
    }

    /// <summary>A string value; null when missing, deferred, or of the wrong type (then an error is recorded).</summary>
    public string? String(JsonNode? node, string path, bool required, string example)
    {
        if (node is null)
        {
            if (required)
            {
                Add(path, "is missing", $"add '{path}', e.g. {example}");
            }
            return null;
        }
        if (IsDeferred(node))
        {
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = resolved ? value.GetValue<string>() : TemplateExpression.Unescape(value.GetValue<string>());
            if (text.Length == 0 && required)
            {
                Add(path, "is empty", $"give '{path}' a value, e.g. {example}");
                return null;
            }
            return text;
        }
        Add(path, $"must be a string, not {Describe(node)}", $"write '{path}' as a string, e.g. {example}");
        return null;
    }

    /// <summary>A number; null when missing, deferred, or of the wrong type (then an error is recorded).</summary>
    public double? Number(JsonNode? node, string path, bool required, string example)
    {
        if (node is null)
        {
            if (required)
            {
                Add(path, "is missing", $"add '{path}', e.g. {example}");
            }
            return null;
        }
        if (IsDeferred(node))
        {
            return null;
        }
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            return JsonNumber.ToDouble(value);
        }
        Add(path, $"must be a number, not {Describe(node)}", $"write '{path}' as a number without quotes, e.g. {example}");
        return null;
    }

    /// <summary>Records an error for each key of <paramref name="obj"/> that is not in <paramref name="known"/>.</summary>
    public void OnlyKnownKeys(JsonObject obj, string path, params string[] known)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                var near = known.FirstOrDefault(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
                Add(Join(path, key), "is not a field this template shape supports",
                    near is not null ? $"write '{near}' (field names are case-sensitive)" : $"remove it; the fields here are: {string.Join(", ", known)}");
            }
        }
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => $"the string '{value.GetValue<string>()}'",
            JsonValueKind.True or JsonValueKind.False => $"the boolean {value.ToJsonString()}",
            JsonValueKind.Number => $"the number {value.ToJsonString()}",
            _ => value.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };
}
