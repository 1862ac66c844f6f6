using System.Text.Json;
using System.Text.Json.Serialization;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Operations;

/// <summary>
/// A handle to a long-running ARM operation on any resource type: plain data (the resource id, the api-version and
/// the status URLs ARM returned), so an activity can persist it (<see cref="ToJson"/>/<see cref="FromJson"/>) in the
/// run's history and any later client, after a restart, resumes polling it.
/// </summary>
/// <param name="Kind">Create-or-update, delete or action.</param>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="AsyncOperationUrl">The <c>Azure-AsyncOperation</c> URL, if ARM gave one.</param>
/// <param name="LocationUrl">The <c>Location</c> URL, if ARM gave one.</param>
/// <param name="CompletedAtStart">True when the first response was already final (nothing to poll).</param>
/// <param name="StartedAt">When the operation was started.</param>
/// <param name="RetryAfterSeconds">The first poll delay ARM advised, in seconds, if any.</param>
public sealed record ArmOperationHandle(
    [property: JsonConverter(typeof(JsonStringEnumConverter<ArmOperationKind>))] ArmOperationKind Kind,
    string ResourceId,
    string? AsyncOperationUrl,
    string? LocationUrl,
    bool CompletedAtStart,
    DateTimeOffset StartedAt,
    int? RetryAfterSeconds)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The api-version the operation was started with; a resource read while polling uses it. Null in handles kept by
    /// runs from before it existed (then the type's current version is used).
    /// </summary>
    public string? ApiVersion { get; init; }

    /// <summary>The resource's id, parsed.</summary>
    [JsonIgnore]
    public ArmResourceId Resource => ArmResourceId.Parse(ResourceId);

    /// <summary>The handle as JSON, for persisting.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A handle read back from <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    public static ArmOperationHandle FromJson(string json) =>
        JsonSerializer.Deserialize<ArmOperationHandle>(json, Json) ?? throw new JsonException("The text holds no ARM operation handle.");
}
