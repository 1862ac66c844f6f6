using System.Text.Json.Nodes;

namespace Provisioning.Host.Tests.EventGrid;

/// <summary>Events shaped as Event Grid delivers them (Event Grid schema and CloudEvents 1.0).</summary>
internal static class SampleEvents
{
    public const string Subscription = "00000000-0000-0000-0000-0000000000e6";

    public static string RegistryId(string subscription = Subscription, string registry = "sandboxacr")
        => $"/subscriptions/{subscription}/resourceGroups/rg-sandbox/providers/Microsoft.ContainerRegistry/registries/{registry}";

    public static JsonObject PushData(string repository = "hello/web", string? tag = "2.0", string host = "sandboxacr.azurecr.io") => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["timestamp"] = "2026-11-23T10:00:00Z",
        ["action"] = "push",
        ["target"] = new JsonObject
        {
            ["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json",
            ["size"] = 524,
            ["digest"] = "sha256:4f2d0b3c1e5a",
            ["repository"] = repository,
            ["tag"] = tag,
        },
        ["request"] = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["host"] = host, ["method"] = "PUT", ["useragent"] = "docker/27" },
    };

    public static JsonObject ImagePushed(string id, string subscription = Subscription, string tag = "2.0", JsonObject? data = null) => new()
    {
        ["id"] = id,
        ["topic"] = RegistryId(subscription),
        ["subject"] = $"hello/web:{tag}",
        ["eventType"] = "Microsoft.ContainerRegistry.ImagePushed",
        ["eventTime"] = "2026-11-23T10:00:00Z",
        ["data"] = data ?? PushData(tag: tag),
        ["dataVersion"] = "1.0",
        ["metadataVersion"] = "1",
    };

    public static JsonObject CloudImagePushed(string id, string subscription = Subscription, string tag = "2.0") => new()
    {
        ["specversion"] = "1.0",
        ["id"] = id,
        ["source"] = RegistryId(subscription),
        ["subject"] = $"hello/web:{tag}",
        ["type"] = "Microsoft.ContainerRegistry.ImagePushed",
        ["time"] = "2026-11-23T10:00:00Z",
        ["datacontenttype"] = "application/json",
        ["data"] = PushData(tag: tag),
    };

    public static JsonObject ResourceEvent(string id, string type, string subject, string subscription = Subscription) => new()
    {
        ["id"] = id,
        ["topic"] = $"/subscriptions/{subscription}/resourceGroups/rg-x",
        ["subject"] = subject,
        ["eventType"] = type,
        ["eventTime"] = "2026-11-23T10:00:00Z",
        ["data"] = new JsonObject
        {
            ["resourceUri"] = subject,
            ["operationName"] = "Microsoft.Resources/subscriptions/resourceGroups/write",
            ["status"] = "Succeeded",
            ["subscriptionId"] = subscription,
            ["tenantId"] = "00000000-0000-0000-0000-0000000000aa",
        },
        ["dataVersion"] = "2",
        ["metadataVersion"] = "1",
    };

    public static JsonObject Validation(string code) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["topic"] = $"/subscriptions/{Subscription}",
        ["subject"] = string.Empty,
        ["eventType"] = "Microsoft.EventGrid.SubscriptionValidationEvent",
        ["eventTime"] = "2026-11-23T10:00:00Z",
        ["data"] = new JsonObject { ["validationCode"] = code, ["validationUrl"] = "https://127.0.0.1/validate?code=" + code },
        ["dataVersion"] = "2",
        ["metadataVersion"] = "1",
    };

    public static string Array(params JsonObject[] events) => new JsonArray([.. events]).ToJsonString();

    /// <summary>A copy of an event with one field changed (null removes it).</summary>
    public static JsonObject With(JsonObject e, string field, JsonNode? value, bool remove = false)
    {
        var copy = (JsonObject)e.DeepClone();
        if (remove)
        {
            copy.Remove(field);
        }
        else
        {
            copy[field] = value;
        }

        return copy;
    }

    /// <summary>A copy of an event with a field of its data changed (path like <c>target.repository</c>; null removes it).</summary>
    public static JsonObject WithData(JsonObject e, string path, JsonNode? value)
    {
        var copy = (JsonObject)e.DeepClone();
        var parts = path.Split('.');
        var node = copy["data"]!.AsObject();
        foreach (var part in parts[..^1])
        {
            node = node[part]!.AsObject();
        }

        if (value is null)
        {
            node.Remove(parts[^1]);
        }
        else
        {
            node[parts[^1]] = value;
        }

        return copy;
    }
}
