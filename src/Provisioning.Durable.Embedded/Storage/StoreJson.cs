using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>How history events, failures and parents are written in the store: compact, enums by name.</summary>
internal static class StoreJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"Stored JSON for {typeof(T).Name} was null.");

    public static string? WriteOptional<T>(T? value)
        where T : class => value is null ? null : Write(value);

    public static T? ReadOptional<T>(string? json)
        where T : class => json is null ? null : Read<T>(json);
}
