using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Bicep.Types.Concrete;

namespace Provisioning.ArmEmulator.Tests.ApiVersions;

/// <summary>
/// Derives the request body one api-version accepts from a seed written for the newest one, using that version's
/// official schema (<c>Azure.Bicep.Types.Az</c>): members the version does not know are dropped, required members the
/// seed lacks are filled with the smallest value the schema allows, enums fall back to a value of that version
/// (e.g. registry sku <c>Premium</c> becomes <c>Basic</c> at 2017-03-01), read-only members are left out.
/// </summary>
internal static class VersionedBody
{
    private static readonly HashSet<string> UrlMembers = new(StringComparer.OrdinalIgnoreCase) { "id", "name", "type", "apiVersion" };

    /// <summary>The body for <paramref name="schema"/> (a resource body type), from <paramref name="seed"/>.</summary>
    public static JsonObject Derive(ResourceType schema, JsonObject seed) =>
        schema.Body.Type is ObjectType root ? DeriveObject(root.Properties, root.AdditionalProperties, seed, topLevel: true) : (JsonObject)seed.DeepClone();

    private static JsonNode? Derive(TypeBase type, JsonNode? seed) => type switch
    {
        ObjectType o => DeriveObject(o.Properties, o.AdditionalProperties, seed as JsonObject, topLevel: false),
        DiscriminatedObjectType d => DeriveDiscriminated(d, seed as JsonObject),
        ArrayType a => DeriveArray(a, seed as JsonArray),
        StringLiteralType literal => literal.Value,
        UnionType u => DeriveUnion(u, seed),
        StringType s => seed is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.DeepClone() : new string('x', Math.Max(1, (int)(s.MinLength ?? 1))),
        IntegerType i => seed is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? n.DeepClone() : i.MinValue ?? 1,
        BooleanType => seed is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? b.DeepClone() : false,
        _ => seed?.DeepClone() ?? JsonValue.Create("x"),
    };

    private static JsonObject DeriveObject(IReadOnlyDictionary<string, ObjectTypeProperty> properties, ITypeReference? additional, JsonObject? seed, bool topLevel)
    {
        var result = new JsonObject();
        foreach (var (key, property) in properties)
        {
            if ((topLevel && UrlMembers.Contains(key)) || property.Flags.HasFlag(ObjectTypePropertyFlags.ReadOnly))
            {
                continue;
            }

            var given = seed?.FirstOrDefault(kv => kv.Key.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (given?.Key is not null && given.Value.Value is not null)
            {
                result[key] = Derive(property.Type.Type, given.Value.Value);
            }
            else if (property.Flags.HasFlag(ObjectTypePropertyFlags.Required))
            {
                result[key] = Derive(property.Type.Type, null);
            }
        }

        if (additional is not null && seed is not null)
        {
            foreach (var (key, value) in seed)
            {
                if (!properties.Keys.Contains(key, StringComparer.OrdinalIgnoreCase) && value is not null)
                {
                    result[key] = Derive(additional.Type, value);
                }
            }
        }

        return result;
    }

    private static JsonObject DeriveDiscriminated(DiscriminatedObjectType type, JsonObject? seed)
    {
        var wanted = (seed?[type.Discriminator] as JsonValue)?.GetValue<string>();
        var element = type.Elements.FirstOrDefault(e => e.Key.Equals(wanted, StringComparison.OrdinalIgnoreCase));
        if (element.Key is null)
        {
            element = type.Elements.First();
        }

        var merged = new Dictionary<string, ObjectTypeProperty>(type.BaseProperties);
        var elementType = (ObjectType)element.Value.Type;
        foreach (var (key, property) in elementType.Properties)
        {
            merged[key] = property;
        }

        var result = DeriveObject(merged, elementType.AdditionalProperties, seed, topLevel: false);
        result[type.Discriminator] = element.Key;
        return result;
    }

    private static JsonArray DeriveArray(ArrayType type, JsonArray? seed)
    {
        var items = seed?.Select(item => Derive(type.ItemType.Type, item)).ToList() ?? [];
        while (items.Count < (type.MinLength ?? 0))
        {
            items.Add(Derive(type.ItemType.Type, null));
        }

        return new JsonArray([.. items]);
    }

    private static JsonNode? DeriveUnion(UnionType type, JsonNode? seed)
    {
        var elements = type.Elements.Select(e => e.Type).ToList();
        var literals = elements.OfType<StringLiteralType>().Select(l => l.Value).ToList();
        if (seed is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var text = v.GetValue<string>();
            // The emulator checks an extensible enum as closed, so a seed outside the literals takes the first one.
            if (literals.Contains(text, StringComparer.OrdinalIgnoreCase) || (literals.Count == 0 && elements.Any(e => e is StringType)))
            {
                return text;
            }
        }

        if (seed is JsonObject or JsonArray && elements.FirstOrDefault(e => Fits(e, seed)) is { } shaped)
        {
            return Derive(shaped, seed);
        }

        if (seed is JsonValue number && number.GetValueKind() == JsonValueKind.Number && elements.FirstOrDefault(e => e is IntegerType) is { } integer)
        {
            return Derive(integer, seed);
        }

        return literals.Count > 0 ? literals[0] : Derive(elements[0], null);
    }

    private static bool Fits(TypeBase type, JsonNode seed) => (type, seed) switch
    {
        (ObjectType or DiscriminatedObjectType, JsonObject) => true,
        (ArrayType, JsonArray) => true,
        _ => false,
    };
}
