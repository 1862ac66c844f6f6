using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Provisioning.Arm.Resources;

/// <summary>Tolerant reads of ARM response JSON (absent or differently typed fields give null).</summary>
internal static class JsonRead
{
    public static string? String(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static int? Int(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) ? number
        : node is JsonValue other && other.GetValueKind() == JsonValueKind.Number ? (int)double.Parse(other.ToJsonString(), CultureInfo.InvariantCulture)
        : null;

    public static DateTimeOffset? Time(JsonNode? node) =>
        String(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    public static IReadOnlyDictionary<string, string> Tags(JsonNode? node) =>
        (node as JsonObject)?.Where(p => String(p.Value) is not null).ToDictionary(p => p.Key, p => String(p.Value)!, StringComparer.Ordinal)
        ?? new Dictionary<string, string>(StringComparer.Ordinal);

    public static IEnumerable<JsonObject> Objects(JsonNode? node) => (node as JsonArray)?.OfType<JsonObject>() ?? [];
}
