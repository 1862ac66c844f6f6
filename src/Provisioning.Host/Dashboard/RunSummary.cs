using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Host.Http;

namespace Provisioning.Host.Dashboard;

/// <summary>One row of the runs list: what the Durable status says, and what the product's custom status and input add.</summary>
/// <param name="InstanceId">The run's id.</param>
/// <param name="Name">The orchestration.</param>
/// <param name="RuntimeStatus">Pending, Running, Completed, Failed, Terminated or Suspended.</param>
/// <param name="Template">The template it provisions; null for other orchestrations.</param>
/// <param name="Workload">The container group it deploys (its name); null for other orchestrations.</param>
/// <param name="Lane">The lane (workload prefix of the run id) when the id carries one.</param>
/// <param name="Phase">The product's phase from the custom status.</param>
/// <param name="Attempt">The attempt within the phase.</param>
/// <param name="NextRetryAt">When the next attempt starts, while waiting.</param>
/// <param name="Message">The last thing Azure said.</param>
/// <param name="CreatedAt">When the run was created.</param>
/// <param name="LastUpdatedAt">When it last changed.</param>
public sealed record RunSummary(
    string InstanceId,
    string Name,
    string RuntimeStatus,
    string? Template,
    string? Workload,
    string? Lane,
    string? Phase,
    int? Attempt,
    string? NextRetryAt,
    string? Message,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt)
{
    /// <summary>Reads a row from an instance fetched with its inputs and outputs.</summary>
    public static RunSummary From(OrchestrationMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var input = StatusResponsePayload.ParseOrString(metadata.SerializedInput) as JsonObject;
        var status = StatusResponsePayload.ParseOrString(metadata.SerializedCustomStatus) as JsonObject;
        var template = input?["template"] as JsonObject;
        return new RunSummary(
            metadata.InstanceId,
            metadata.Name,
            metadata.RuntimeStatus.ToString(),
            Text(template?["templateName"]),
            WorkloadName(Text(template?["workload"]?["resourceId"])),
            LaneOf(metadata.InstanceId),
            Text(status?["phase"]),
            status?["attempt"] is JsonValue attempt && attempt.TryGetValue<int>(out var number) ? number : null,
            Text(status?["nextRetryAt"]),
            Text(status?["message"]),
            metadata.CreatedAt,
            metadata.LastUpdatedAt);
    }

    /// <summary>
    /// The lane of a run id, <c>{subscription}:{resourceGroup}:{workload}:</c> (see <c>RunIds</c>), or null when the id is
    /// not a lane id (a run started with an id of the caller's choice, or another orchestration).
    /// </summary>
    public static string? LaneOf(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var parts = instanceId.Split(':');
        return parts.Length == 4 && parts.Take(3).All(part => part.Length > 0) ? string.Join(':', parts.Take(3)) + ":" : null;
    }

    /// <summary>When the event that started a lane run happened, read from its id; null when the id is not a lane id or the event had no time.</summary>
    public static DateTimeOffset? EventTimeOf(string instanceId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        if (LaneOf(instanceId) is null)
        {
            return null;
        }

        var stamp = instanceId.Split(':')[3].Split('-')[0];
        return DateTimeOffset.TryParseExact(stamp, "yyyyMMdd'T'HHmmssfffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            && time > DateTimeOffset.MinValue.AddDays(1)
            ? time
            : null;
    }

    private static string? WorkloadName(string? resourceId)
        => resourceId is null ? null : resourceId[(resourceId.LastIndexOf('/') + 1)..];

    private static string? Text(JsonNode? node)
        => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
}
