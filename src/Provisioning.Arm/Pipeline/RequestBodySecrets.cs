using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Arm.Pipeline;

/// <summary>
/// Resolves the protected secrets of a request body: a copy in which every protected string is replaced with its
/// plaintext. The copy exists only for the request being sent and is never logged.
/// </summary>
public static class RequestBodySecrets
{
    /// <summary>
    /// How every protected value begins: the domain's tokens are <c>protected:v1:</c> followed by the Data Protection
    /// payload. A body string with this prefix is never sent as it is: it is resolved, or, with no resolver configured,
    /// the request is refused, so a container never starts with a token where its secret should be.
    /// </summary>
    public const string ProtectedPrefix = "protected:v1:";

    /// <summary>A copy of <paramref name="body"/> with every protected string replaced by its plaintext.</summary>
    /// <param name="body">A request body, or null.</param>
    /// <param name="resolver">Recognises and decrypts protected values; null refuses any protected value.</param>
    /// <returns>The copy, or <paramref name="body"/> itself when it holds no protected value.</returns>
    /// <exception cref="InvalidOperationException">A protected value and no resolver, or one the resolver cannot decrypt.</exception>
    public static JsonNode? Resolve(JsonNode? body, IRequestSecretResolver? resolver) =>
        body is not null && ContainsProtected(body) ? Copy(body, resolver) : body;

    private static bool ContainsProtected(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Any(property => ContainsProtected(property.Value)),
        JsonArray array => array.Any(ContainsProtected),
        JsonValue value => IsProtectedString(value, out _),
        _ => false,
    };

    private static JsonNode? Copy(JsonNode? node, IRequestSecretResolver? resolver)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject(obj.Options);
                foreach (var (name, value) in obj)
                {
                    copy[name] = Copy(value, resolver);
                }
                return copy;
            case JsonArray array:
                var items = new JsonArray(array.Options);
                foreach (var item in array)
                {
                    items.Add(Copy(item, resolver));
                }
                return items;
            case JsonValue value when IsProtectedString(value, out var text):
                if (resolver is null)
                {
                    throw new InvalidOperationException(
                        "An ARM request body holds a protected secret, but the ARM client has no secret resolver (ArmClientOptions.SecretResolver): "
                        + "the request is not sent, so the resource never receives the protected token in place of its secret. Register the secret protector with the ARM client.");
                }
                if (!resolver.IsProtected(text))
                {
                    throw new InvalidOperationException(
                        $"An ARM request body holds a value starting with '{ProtectedPrefix}' that the secret resolver does not recognise; the request is not sent.");
                }
                return JsonValue.Create(resolver.Unprotect(text));
            default:
                return node?.DeepClone();
        }
    }

    private static bool IsProtectedString(JsonValue value, out string text)
    {
        text = string.Empty;
        if (value.GetValueKind() != JsonValueKind.String)
        {
            return false;
        }
        text = value.GetValue<string>();
        return text.StartsWith(ProtectedPrefix, StringComparison.Ordinal);
    }
}
