using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Messaging.EventGrid.SystemEvents;
using Provisioning.Arm.Resources;
using Provisioning.Rules.Matching;

namespace Provisioning.EventGrid;

/// <summary>
/// Reads a delivery in the Event Grid schema (a JSON array) or CloudEvents 1.0 (structured single
/// <c>application/cloudevents+json</c>, batch <c>application/cloudevents-batch+json</c>, or a plain JSON array),
/// checks every event and parses it with <c>Azure.Messaging.EventGrid</c>. As the Functions Event Grid extension does,
/// each event is accepted or refused on its own: a malformed event is reported in <see cref="EventBatch.Refused"/> and
/// the others go on. Only a delivery that is unusable as a whole is malformed (<see cref="MalformedEventException"/>).
/// </summary>
internal static class EventBatchReader
{
    public const string CloudEventMediaType = "application/cloudevents+json";
    public const string CloudEventBatchMediaType = "application/cloudevents-batch+json";

    /// <summary>Event Grid's largest batch.</summary>
    public const int MaxEvents = 5000;

    private const string ImagePushed = "Microsoft.ContainerRegistry.ImagePushed";
    private const string ResourceWriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";
    private const string ResourceDeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";
    private const string SubscriptionValidation = "Microsoft.EventGrid.SubscriptionValidationEvent";
    private const string RegistryType = "Microsoft.ContainerRegistry/registries";

    /// <summary>Reads and checks a delivery; each event is accepted or refused on its own.</summary>
    /// <param name="body">The JSON body.</param>
    /// <param name="mediaType">The content type's media type, or null.</param>
    /// <param name="validationRequested">Whether <c>aeg-event-type: SubscriptionValidation</c> was sent.</param>
    /// <exception cref="MalformedEventException">The delivery as a whole is not one Event Grid sends (not an event or an
    /// array of events, empty, too large, a broken validation handshake, or no event in it usable); the message names
    /// the problem.</exception>
    public static EventBatch Read(JsonNode body, string? mediaType, bool validationRequested)
    {
        var (items, single) = Items(body, mediaType);
        if (items.Count == 0)
        {
            throw new MalformedEventException("The body is an empty array: a delivery carries at least one event.");
        }

        if (items.Count > MaxEvents)
        {
            throw new MalformedEventException($"The body carries {items.Count} events; Event Grid delivers at most {MaxEvents} at once.");
        }

        var cloud = Classify(items);
        if (cloud && validationRequested)
        {
            throw new MalformedEventException("'aeg-event-type: SubscriptionValidation' comes with an Event Grid schema validation event, not CloudEvents (CloudEvents subscriptions validate with an OPTIONS request).");
        }

        var understood = new List<(RuleEvent, string)>();
        var ignored = new List<(string, string)>();
        var refused = new List<RefusedEvent>();
        string? validationCode = null;
        for (var i = 0; i < items.Count; i++)
        {
            var where = single ? "The event" : $"Event [{i}]";
            try
            {
                if (items[i] is not JsonObject item)
                {
                    throw new MalformedEventException($"{where} is not a JSON object.");
                }

                var isCloud = item.ContainsKey("specversion");
                if (!isCloud && !item.ContainsKey("eventType"))
                {
                    throw new MalformedEventException($"{where} is in no known schema: an Event Grid event has 'eventType', a CloudEvent has 'specversion'.");
                }

                if (isCloud != cloud)
                {
                    throw new MalformedEventException($"{where} is in another schema than the delivery's; a delivery uses one schema.");
                }

                if (cloud)
                {
                    CheckCloudEvent(item, where);
                    ReadCloudEvent(item, where, understood, ignored);
                }
                else
                {
                    CheckEventGridEvent(item, where);
                    validationCode ??= ReadEventGridEvent(item, where, understood, ignored);
                }
            }
            catch (MalformedEventException exception)
            {
                if (validationRequested)
                {
                    // A broken handshake is the whole request's problem: there is nothing else in it to accept.
                    throw;
                }

                refused.Add(new RefusedEvent(i, IdOf(items[i]), exception.Message));
            }
        }

        if (validationRequested && validationCode is null)
        {
            throw new MalformedEventException($"'aeg-event-type: SubscriptionValidation' was sent, but the body has no {SubscriptionValidation}.");
        }

        if (validationCode is null && refused.Count == items.Count)
        {
            // Nothing in the body is usable: the delivery as a whole is refused (Event Grid does not retry a 400).
            throw new MalformedEventException(refused.Count == 1
                ? refused[0].Reason
                : $"No event of the delivery is usable ({refused.Count} refused); the first: {refused[0].Reason}");
        }

        return new EventBatch(validationCode, understood, ignored) { Refused = refused };
    }

    private static string? IdOf(JsonNode? item)
        => item is JsonObject o && o.TryGetPropertyValue("id", out var id) && id is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? Truncate(v.GetValue<string>())
            : null;

    private static string Truncate(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");

    private static (IReadOnlyList<JsonNode?> Items, bool Single) Items(JsonNode body, string? mediaType)
    {
        if (string.Equals(mediaType, CloudEventMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return body is JsonObject one
                ? ([one], true)
                : throw new MalformedEventException($"A '{CloudEventMediaType}' body is one CloudEvent (a JSON object); send a batch as '{CloudEventBatchMediaType}'.");
        }

        if (string.Equals(mediaType, CloudEventBatchMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return body is JsonArray batch
                ? ([.. batch], false)
                : throw new MalformedEventException($"A '{CloudEventBatchMediaType}' body is a JSON array of CloudEvents.");
        }

        return body switch
        {
            JsonArray array => ([.. array], false),
            JsonObject single => ([single], true),
            _ => throw new MalformedEventException("The body is neither a JSON array of events nor one event object."),
        };
    }

    /// <summary>The delivery's schema: that of its first event in a known schema (Event Grid when none is).</summary>
    private static bool Classify(IReadOnlyList<JsonNode?> items)
    {
        foreach (var item in items)
        {
            if (item is JsonObject o && (o.ContainsKey("specversion") || o.ContainsKey("eventType")))
            {
                return o.ContainsKey("specversion");
            }
        }

        return false;
    }

    private static void CheckEventGridEvent(JsonObject item, string where)
    {
        RequireString(item, "id", where, nonEmpty: true);
        RequireString(item, "eventType", where, nonEmpty: true);
        RequireString(item, "subject", where, nonEmpty: false);
        RequireString(item, "dataVersion", where, nonEmpty: false);
        RequireTime(item, "eventTime", where, required: true);
        if (!item.ContainsKey("data"))
        {
            throw new MalformedEventException($"{where} has no 'data'.");
        }

        OptionalString(item, "topic", where);
    }

    private static void CheckCloudEvent(JsonObject item, string where)
    {
        var version = RequireString(item, "specversion", where, nonEmpty: true);
        if (version != "1.0")
        {
            throw new MalformedEventException($"{where} has specversion '{version}'; only CloudEvents 1.0 is accepted.");
        }

        RequireString(item, "id", where, nonEmpty: true);
        RequireString(item, "source", where, nonEmpty: true);
        RequireString(item, "type", where, nonEmpty: true);
        OptionalString(item, "subject", where);
        RequireTime(item, "time", where, required: false);
        if (item.ContainsKey("data") && item.ContainsKey("data_base64"))
        {
            throw new MalformedEventException($"{where} has both 'data' and 'data_base64'; a CloudEvent carries one of them.");
        }
    }

    /// <summary>Parses one checked Event Grid event and routes it; returns its validation code when it is the handshake event.</summary>
    private static string? ReadEventGridEvent(JsonObject item, string where, List<(RuleEvent, string)> understood, List<(string, string)> ignored)
    {
        EventGridEvent e;
        try
        {
            e = EventGridEvent.Parse(BinaryData.FromString(item.ToJsonString()));
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            throw new MalformedEventException($"{where} is not a valid Event Grid event: {exception.Message}");
        }

        if (e.EventType == SubscriptionValidation)
        {
            return ValidationCode(e, where);
        }

        Route(e.Id, e.EventType, e.Topic ?? string.Empty, e.Subject, e.EventTime, e.Data, TryGet(e.TryGetSystemEventData, where), where, understood, ignored);
        return null;
    }

    private static void ReadCloudEvent(JsonObject item, string where, List<(RuleEvent, string)> understood, List<(string, string)> ignored)
    {
        CloudEvent e;
        try
        {
            e = CloudEvent.Parse(BinaryData.FromString(item.ToJsonString()))
                ?? throw new MalformedEventException($"{where} is not a valid CloudEvent.");
        }
        catch (Exception exception) when (exception is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            throw new MalformedEventException($"{where} is not a valid CloudEvent: {exception.Message}");
        }

        if (e.Type == SubscriptionValidation)
        {
            throw new MalformedEventException($"{where} is a {SubscriptionValidation}; CloudEvents subscriptions validate with an OPTIONS request.");
        }

        var routed = e.Type is ImagePushed or ResourceWriteSuccess or ResourceDeleteSuccess;
        if (routed && (e.Data is null || e.DataContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new MalformedEventException($"{where} ({e.Type}) has no JSON 'data'.");
        }

        Route(e.Id, e.Type, e.Source, e.Subject ?? string.Empty, e.Time, e.Data, routed ? TryGet(e.TryGetSystemEventData, where) : null, where, understood, ignored);
    }

    private delegate bool SystemDataReader(out object? data);

    private static object? TryGet(SystemDataReader read, string where)
    {
        try
        {
            return read(out var data) ? data : null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new MalformedEventException($"{where} has 'data' that is not of its event type's shape: {exception.Message}");
        }
    }

    private static void Route(
        string id, string type, string source, string subject, DateTimeOffset? time, BinaryData? data, object? systemData, string where,
        List<(RuleEvent, string)> understood, List<(string, string)> ignored)
    {
        switch (type)
        {
            case ImagePushed:
                var push = ReadPush(id, source, data, systemData as ContainerRegistryImagePushedEventData, where);

                // A CloudEvent may omit its time; the push's own timestamp then orders it.
                understood.Add((push with { Time = time ?? (systemData as ContainerRegistryImagePushedEventData)?.Timestamp }, type));
                break;
            case ResourceWriteSuccess or ResourceDeleteSuccess:
                if (data is null || !IsObject(data))
                {
                    throw new MalformedEventException($"{where} ({type}) has no 'data' object.");
                }

                if (!ArmResourceId.TryParse(subject, out var resource, out var problem))
                {
                    throw new MalformedEventException($"{where} ({type}) has the subject '{subject}', which is not a resource id: {problem}.");
                }

                if (resource.Kind != ArmResourceIdKind.ResourceGroup)
                {
                    ignored.Add((id, type));
                    break;
                }

                understood.Add((type == ResourceWriteSuccess
                    ? new ResourceGroupWrittenEvent(id, source, resource.SubscriptionId, resource.ResourceGroupName!) { Time = time }
                    : new ResourceGroupDeletedEvent(id, source, resource.SubscriptionId, resource.ResourceGroupName!) { Time = time }, type));
                break;
            default:
                ignored.Add((id, type));
                break;
        }
    }

    private static ImagePushedEvent ReadPush(string id, string source, BinaryData? data, ContainerRegistryImagePushedEventData? push, string where)
    {
        if (data is null || !IsObject(data) || push is null)
        {
            throw new MalformedEventException($"{where} ({ImagePushed}) has no 'data' object.");
        }

        var repository = push.Target?.Repository;
        if (string.IsNullOrWhiteSpace(repository))
        {
            throw new MalformedEventException($"{where} ({ImagePushed}) has no 'data.target.repository'.");
        }

        var host = push.Request?.Host;
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new MalformedEventException($"{where} ({ImagePushed}) has no 'data.request.host': the registry's login server names the pushed image.");
        }

        if (repository.Any(char.IsWhiteSpace) || host.Any(c => char.IsWhiteSpace(c) || c == '/'))
        {
            throw new MalformedEventException($"{where} ({ImagePushed}) names the image '{host}/{repository}', which is not an image reference.");
        }

        var tag = string.IsNullOrEmpty(push.Target?.Tag) ? null : push.Target!.Tag;
        if (tag is not null && tag.Any(c => char.IsWhiteSpace(c) || c is ':' or '/'))
        {
            throw new MalformedEventException($"{where} ({ImagePushed}) has the tag '{tag}', which is not an image tag.");
        }

        string? registry = null, subscription = null;
        if (!string.IsNullOrEmpty(source))
        {
            if (!ArmResourceId.TryParse(source, out var registryId, out var problem))
            {
                throw new MalformedEventException($"{where} ({ImagePushed}) has the topic '{source}', which is not a resource id: {problem}.");
            }

            if (!registryId.ResourceType.Equals(RegistryType, StringComparison.OrdinalIgnoreCase))
            {
                throw new MalformedEventException($"{where} ({ImagePushed}) has the topic '{source}', a {registryId.ResourceType}; an image push comes from a {RegistryType}.");
            }

            (registry, subscription) = (registryId.Name, registryId.SubscriptionId);
        }

        return new ImagePushedEvent(id, source, registry, subscription, host.ToLowerInvariant(), repository, tag);
    }

    private static string ValidationCode(EventGridEvent e, string where)
    {
        var data = TryGet(e.TryGetSystemEventData, where) as SubscriptionValidationEventData;
        return string.IsNullOrWhiteSpace(data?.ValidationCode)
            ? throw new MalformedEventException($"{where} ({SubscriptionValidation}) has no 'data.validationCode'.")
            : data.ValidationCode;
    }

    private static bool IsObject(BinaryData data)
    {
        var span = data.ToMemory().Span.TrimStart(" \t\r\n"u8);
        return span.Length > 0 && span[0] == (byte)'{';
    }

    private static string RequireString(JsonObject item, string field, string where, bool nonEmpty)
    {
        if (!item.TryGetPropertyValue(field, out var node) || node is null)
        {
            throw new MalformedEventException($"{where} has no '{field}'.");
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            throw new MalformedEventException($"{where} has a '{field}' that is not a string.");
        }

        var text = value.GetValue<string>();
        return nonEmpty && string.IsNullOrWhiteSpace(text) ? throw new MalformedEventException($"{where} has an empty '{field}'.") : text;
    }

    private static void OptionalString(JsonObject item, string field, string where)
    {
        if (item.TryGetPropertyValue(field, out var node) && node is not null && (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String))
        {
            throw new MalformedEventException($"{where} has a '{field}' that is not a string.");
        }
    }

    private static void RequireTime(JsonObject item, string field, string where, bool required)
    {
        if (!item.TryGetPropertyValue(field, out var node) || node is null)
        {
            if (required)
            {
                throw new MalformedEventException($"{where} has no '{field}'.");
            }

            return;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String
            || !DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            throw new MalformedEventException($"{where} has a '{field}' that is not an RFC 3339 time.");
        }
    }
}
