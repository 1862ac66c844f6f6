using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>
/// A handle to a long-running container group operation: plain data (the resource id and the status URLs ARM
/// returned), so an activity can persist it (<see cref="ToJson"/>/<see cref="FromJson"/>) and any later client
/// instance, after a restart, can resume polling it.
/// </summary>
/// <param name="Kind">Create-or-update or delete.</param>
/// <param name="ResourceId">The container group's resource id.</param>
/// <param name="AsyncOperationUrl">The <c>Azure-AsyncOperation</c> URL, if ARM gave one.</param>
/// <param name="LocationUrl">The <c>Location</c> URL, if ARM gave one.</param>
/// <param name="CompletedAtStart">True when the first response was already final (nothing to poll).</param>
/// <param name="StartedAt">When the operation was started.</param>
/// <param name="RetryAfterSeconds">The first poll delay ARM advised, in seconds, if any.</param>
public sealed record ContainerGroupOperation(
    [property: JsonConverter(typeof(JsonStringEnumConverter<ContainerGroupOperationKind>))] ContainerGroupOperationKind Kind,
    string ResourceId,
    string? AsyncOperationUrl,
    string? LocationUrl,
    bool CompletedAtStart,
    DateTimeOffset StartedAt,
    int? RetryAfterSeconds)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The container group's resource id, parsed.</summary>
    [JsonIgnore]
    public ArmResourceId Resource => ArmResourceId.Parse(ResourceId);

    /// <summary>The handle as JSON, for persisting.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A handle read back from <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    public static ContainerGroupOperation FromJson(string json) =>
        JsonSerializer.Deserialize<ContainerGroupOperation>(json, Json) ?? throw new JsonException("The text holds no container group operation.");
}
