using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Bicep.Types.Concrete;

namespace Provisioning.ArmEmulator.Validation;

/// <summary>
/// Checks a PUT/PATCH body against the resource type's schema: unknown properties, wrong JSON types, values
/// outside a closed enum, missing required properties, string/array/integer limits. Read-only properties are
/// ignored, as Azure does. Top-level <c>id</c>, <c>name</c>, <c>type</c> come from the URL and are ignored.
/// </summary>
internal sealed class SchemaValidator(SchemaCatalog catalog)
{
    private static readonly HashSet<string> UrlProperties = new(StringComparer.OrdinalIgnoreCase) { "id", "name", "type", "apiVersion" };

    /// <summary>The violations (empty when valid, or when no schema is known for the type/version).</summary>
    public IReadOnlyList<SchemaViolation> Validate(string type, string apiVersion, JsonNode? body, bool patch = false)
    {
        var schema = catalog.Find(type, apiVersion);
        if (schema is null)
        {
            return [];
        }

        var errors = new List<SchemaViolation>();
        if (schema.Body.Type is ObjectType root)
        {
            ValidateObject(body, root.Name, root.Properties, root.AdditionalProperties, string.Empty, errors, topLevel: true, patch);
        }
        else
        {
            ValidateValue(body, schema.Body.Type, string.Empty, errors, patch);
        }

        return errors;
    }

    private static void ValidateValue(JsonNode? value, TypeBase type, string path, List<SchemaViolation> errors, bool patch)
    {
        switch (type)
        {
            case AnyType:
                return;
            case NullType:
                if (value is not null)
                {
                    errors.Add(new(path, "Expected null."));
                }

                return;
            case ObjectType o:
                ValidateObject(value, o.Name, o.Properties, o.AdditionalProperties, path, errors, topLevel: false, patch);
                return;
            case DiscriminatedObjectType d:
                ValidateDiscriminated(value, d, path, errors, patch);
                return;
            case ArrayType a:
                ValidateArray(value, a, path, errors, patch);
                return;
            case StringType s:
                ValidateString(value, s, path, errors);
                return;
            case StringLiteralType literal:
                if (!IsString(value, out var text) || !text.Equals(literal.Value, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new(path, $"The value '{Describe(value)}' is not valid. Allowed value: '{literal.Value}'."));
                }

                return;
            case UnionType u:
                ValidateUnion(value, u, path, errors, patch);
                return;
            case IntegerType i:
                ValidateInteger(value, i, path, errors);
                return;
            case BooleanType:
                if (value is not JsonValue bv || bv.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add(new(path, $"Error converting value '{Describe(value)}' to type 'Boolean'."));
                }

                return;
#pragma warning disable CS0618
            case BuiltInType builtIn:
                ValidateBuiltIn(value, builtIn, path, errors);
                return;
#pragma warning restore CS0618
            default:
                return;
        }
    }

    private static void ValidateObject(
        JsonNode? value,
        string typeName,
        IReadOnlyDictionary<string, ObjectTypeProperty> properties,
        ITypeReference? additional,
        string path,
        List<SchemaViolation> errors,
        bool topLevel,
        bool patch)
    {
        if (value is not JsonObject obj)
        {
            errors.Add(new(path, $"Error converting value '{Describe(value)}' to type '{typeName}'."));
            return;
        }

        foreach (var (key, child) in obj)
        {
            var childPath = Join(path, key);
            if (topLevel && UrlProperties.Contains(key))
            {
                continue;
            }

            var property = Lookup(properties, key);
            if (property is null)
            {
                if (additional is not null)
                {
                    if (child is not null)
                    {
                        ValidateValue(child, additional.Type, childPath, errors, patch);
                    }

                    continue;
                }

                errors.Add(new(childPath, $"Could not find member '{key}' on object of type '{typeName}'."));
                continue;
            }

            if (property.Flags.HasFlag(ObjectTypePropertyFlags.ReadOnly) || child is null)
            {
                continue;
            }

            ValidateValue(child, property.Type.Type, childPath, errors, patch);
        }

        if (patch)
        {
            return;
        }

        foreach (var (key, property) in properties)
        {
            if (!property.Flags.HasFlag(ObjectTypePropertyFlags.Required) || property.Flags.HasFlag(ObjectTypePropertyFlags.ReadOnly))
            {
                continue;
            }

            if (topLevel && UrlProperties.Contains(key))
            {
                continue;
            }

            if (Find(obj, key) is null)
            {
                errors.Add(new(Join(path, key), $"Required property '{key}' not found in JSON."));
            }
        }
    }

    private static void ValidateDiscriminated(JsonNode? value, DiscriminatedObjectType type, string path, List<SchemaViolation> errors, bool patch)
    {
        if (value is not JsonObject obj)
        {
            errors.Add(new(path, $"Error converting value '{Describe(value)}' to type '{type.Name}'."));
            return;
        }

        var discriminatorPath = Join(path, type.Discriminator);
        if (!IsString(Find(obj, type.Discriminator), out var kind))
        {
            errors.Add(new(discriminatorPath, $"Required property '{type.Discriminator}' not found in JSON."));
            return;
        }

        var element = type.Elements.FirstOrDefault(e => e.Key.Equals(kind, StringComparison.OrdinalIgnoreCase)).Value;
        if (element?.Type is not ObjectType elementType)
        {
            errors.Add(new(discriminatorPath, $"The value '{kind}' is not valid. Allowed values: '{string.Join("', '", type.Elements.Keys)}'."));
            return;
        }

        var merged = new Dictionary<string, ObjectTypeProperty>(StringComparer.Ordinal);
        foreach (var (k, p) in type.BaseProperties)
        {
            merged[k] = p;
        }

        foreach (var (k, p) in elementType.Properties)
        {
            merged[k] = p;
        }

        ValidateObject(obj, elementType.Name, merged, elementType.AdditionalProperties, path, errors, topLevel: false, patch);
    }

    private static void ValidateArray(JsonNode? value, ArrayType type, string path, List<SchemaViolation> errors, bool patch)
    {
        if (value is not JsonArray array)
        {
            errors.Add(new(path, $"Error converting value '{Describe(value)}' to an array."));
            return;
        }

        if (type.MinLength is { } min && array.Count < min)
        {
            errors.Add(new(path, $"The array must have at least {min} item(s)."));
        }

        if (type.MaxLength is { } max && array.Count > max)
        {
            errors.Add(new(path, $"The array must have at most {max} item(s)."));
        }

        for (var i = 0; i < array.Count; i++)
        {
            ValidateValue(array[i], type.ItemType.Type, $"{path}[{i}]", errors, patch);
        }
    }

    private static void ValidateString(JsonNode? value, StringType type, string path, List<SchemaViolation> errors)
    {
        if (!IsString(value, out var text))
        {
            errors.Add(new(path, $"Error converting value '{Describe(value)}' to type 'String'."));
            return;
        }

        if (type.MinLength is { } min && text.Length < min)
        {
            errors.Add(new(path, $"The string must be at least {min} character(s) long."));
        }

        if (type.MaxLength is { } max && text.Length > max)
        {
            errors.Add(new(path, $"The string must be at most {max} character(s) long."));
        }

        if (!string.IsNullOrEmpty(type.Pattern))
        {
            try
            {
                if (!Regex.IsMatch(text, type.Pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)))
                {
                    errors.Add(new(path, $"The value '{text}' does not match the pattern '{type.Pattern}'."));
                }
            }
            catch (ArgumentException)
            {
                // A pattern .NET cannot parse is not the client's fault.
            }
        }
    }

    private static void ValidateUnion(JsonNode? value, UnionType type, string path, List<SchemaViolation> errors, bool patch)
    {
        // An "extensible" enum (literals plus an unconstrained string) is checked as closed: a value the service
        // does not know is a client bug, and rejecting it is the point of the emulator.
        var literalValues = type.Elements.Select(e => e.Type).OfType<StringLiteralType>().Select(l => l.Value).ToList();
        var openString = type.Elements.Select(e => e.Type).OfType<StringType>().Any(s => s.Pattern is null && s.MinLength is null && s.MaxLength is null);
        if (literalValues.Count > 0 && openString && type.Elements.All(e => e.Type is StringLiteralType or StringType))
        {
            if (!IsString(value, out var text) || !literalValues.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add(new(path, $"The value '{Describe(value)}' is not valid. Allowed values: '{string.Join("', '", literalValues)}'."));
            }

            return;
        }

        List<SchemaViolation>? best = null;
        foreach (var element in type.Elements)
        {
            var attempt = new List<SchemaViolation>();
            ValidateValue(value, element.Type, path, attempt, patch);
            if (attempt.Count == 0)
            {
                return;
            }

            if (best is null || attempt.Count < best.Count)
            {
                best = attempt;
            }
        }

        var literals = type.Elements.Select(e => e.Type).OfType<StringLiteralType>().Select(l => l.Value).ToList();
        if (literals.Count == type.Elements.Count && literals.Count > 0)
        {
            errors.Add(new(path, $"The value '{Describe(value)}' is not valid. Allowed values: '{string.Join("', '", literals)}'."));
            return;
        }

        errors.AddRange(best ?? []);
    }

    private static void ValidateInteger(JsonNode? value, IntegerType type, string path, List<SchemaViolation> errors)
    {
        // Bicep types have no floating-point type: OpenAPI numbers (e.g. memoryInGB) are IntegerType too,
        // so any JSON number is accepted and only the bounds are checked.
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<double>(out var number))
        {
            errors.Add(new(path, $"Error converting value '{Describe(value)}' to type 'Number'."));
            return;
        }

        if (type.MinValue is { } min && number < min)
        {
            errors.Add(new(path, $"The value {number} is less than the minimum {min}."));
        }

        if (type.MaxValue is { } max && number > max)
        {
            errors.Add(new(path, $"The value {number} is greater than the maximum {max}."));
        }
    }

#pragma warning disable CS0618 // Older type files still use BuiltInType.
    private static void ValidateBuiltIn(JsonNode? value, BuiltInType type, string path, List<SchemaViolation> errors)
    {
        var ok = type.Kind switch
        {
            BuiltInTypeKind.String => IsString(value, out _),
            BuiltInTypeKind.Bool => value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
            BuiltInTypeKind.Int => value is JsonValue n && n.GetValueKind() == JsonValueKind.Number,
            BuiltInTypeKind.Object => value is JsonObject,
            BuiltInTypeKind.Array => value is JsonArray,
            BuiltInTypeKind.Null => value is null,
            _ => true,
        };
        if (!ok)
        {
            errors.Add(new(path, $"Error converting value '{Describe(value)}' to type '{type.Kind}'."));
        }
    }
#pragma warning restore CS0618

    private static ObjectTypeProperty? Lookup(IReadOnlyDictionary<string, ObjectTypeProperty> properties, string key)
    {
        if (properties.TryGetValue(key, out var exact))
        {
            return exact;
        }

        foreach (var (k, p) in properties)
        {
            if (k.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }

        return null;
    }

    private static JsonNode? Find(JsonObject obj, string key)
    {
        if (obj.TryGetPropertyValue(key, out var exact))
        {
            return exact;
        }

        foreach (var (k, v) in obj)
        {
            if (k.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }

    private static bool IsString(JsonNode? value, out string text)
    {
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            text = v.GetValue<string>();
            return true;
        }

        text = string.Empty;
        return false;
    }

    private static string Describe(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
