using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioning.Arm.Resources;

/// <summary>Writes a resource id as its string form and reads it back through <see cref="ArmResourceId.Parse"/>, so
/// records holding ids round-trip through JSON (orchestration inputs and history).</summary>
public sealed class ArmResourceIdJsonConverter : JsonConverter<ArmResourceId>
{
    /// <inheritdoc />
    public override ArmResourceId? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null)
        {
            return null;
        }

        return ArmResourceId.TryParse(text, out var id, out var problem) ? id : throw new JsonException($"'{text}' is not a valid resource id: {problem}");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, ArmResourceId value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStringValue(value.ToString());
    }
}
