using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DurableTask.Core.History;
using Microsoft.DurableTask.Client;

namespace Provisioning.Host.Http;

/// <summary>An instance's status in the JSON shape of Durable Functions' status API.</summary>
/// <param name="Name">The orchestration name.</param>
/// <param name="InstanceId">The instance id.</param>
/// <param name="RuntimeStatus">Pending, Running, Completed, Failed, Terminated or Suspended.</param>
/// <param name="Input">The input, when asked for.</param>
/// <param name="CustomStatus">The custom status.</param>
/// <param name="Output">The output; for a failed instance, its failure message; for a terminated one, the reason.</param>
/// <param name="CreatedTime">ISO 8601 UTC, seconds precision, as Durable Functions writes it.</param>
/// <param name="LastUpdatedTime">ISO 8601 UTC, seconds precision.</param>
/// <param name="HistoryEvents">The history, when asked for (<c>showHistory=true</c>); otherwise the property is omitted, as Durable Functions does.</param>
public sealed record StatusResponsePayload(
    string Name,
    string InstanceId,
    string RuntimeStatus,
    JsonNode? Input,
    JsonNode? CustomStatus,
    JsonNode? Output,
    string CreatedTime,
    string LastUpdatedTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonArray? HistoryEvents)
{
    /// <summary>Converts a client's metadata (and the history, when asked for) to the wire shape.</summary>
    public static StatusResponsePayload From(OrchestrationMetadata metadata, bool showInput, bool showHistoryOutput, IEnumerable<HistoryEvent>? history = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var output = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed && metadata.FailureDetails is { } failure
            ? JsonValue.Create(failure.ToString())
            : ParseOrString(metadata.SerializedOutput);
        return new StatusResponsePayload(
            metadata.Name,
            metadata.InstanceId,
            metadata.RuntimeStatus.ToString(),
            showInput ? ParseOrString(metadata.SerializedInput) : null,
            ParseOrString(metadata.SerializedCustomStatus),
            output,
            FormatTime(metadata.CreatedAt),
            FormatTime(metadata.LastUpdatedAt),
            history is null ? null : HistoryEventsPayload.From(history, showHistoryOutput));
    }

    private static string FormatTime(DateTimeOffset time)
        => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + "Z";

    // Inputs and outputs are stored as JSON; anything that is not (a plain reason string) is shown as a string.
    internal static JsonNode? ParseOrString(string? serialized)
    {
        if (serialized is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(serialized);
        }
        catch (JsonException)
        {
            return JsonValue.Create(serialized);
        }
    }
}
