using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>
/// <c>{scope}/providers/Microsoft.EventGrid/eventSubscriptions/{name}</c>: an ARM view of <see cref="EventSubscriptions"/>.
/// PUT answers 201 <c>Creating</c> with <c>Azure-AsyncOperation</c>; the operation ends when the validation handshake
/// does (<c>Succeeded</c>, or <c>Failed</c> with code <c>Url validation</c>). Only WebHook destinations and the
/// simple filters are emulated; other destinations and advanced filters are refused explicitly.
/// </summary>
internal sealed class EventSubscriptionHandler : ResourceTypeHandler
{
    public const string Type = "Microsoft.EventGrid/eventSubscriptions";

    private const string HandshakeKind = "eventSubscriptions.handshake";

    private readonly EventSubscriptions _subscriptions;

    public EventSubscriptionHandler(EmulatorContext context, EventSubscriptions subscriptions)
        : base(context)
    {
        _subscriptions = subscriptions;
        subscriptions.HandshakeEnded += Complete;

        // After a restart: a handshake still running is run again by the subscriptions (and ends through HandshakeEnded);
        // one that ended before its operation did ends the operation now.
        context.Operations.RegisterResume(HandshakeKind, operation =>
        {
            var name = operation.Arg("name") ?? string.Empty;
            switch (subscriptions.Get(name))
            {
                case null:
                    Finish(operation, new EventSubscription { Name = name, Endpoint = new Uri("http://127.0.0.1/"), ProvisioningState = "Failed", Error = "The subscription was deleted." });
                    break;
                case { ProvisioningState: not "Creating" } ended:
                    Finish(operation, ended);
                    break;
            }
        });
    }

    public override string ResourceType => Type;


    public override bool IsLocationBased => false;

    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        ValidateBody(request);
        var properties = body["properties"] as JsonObject ?? [];
        var destination = properties["destination"] as JsonObject;
        if (!string.Equals(destination?["endpointType"]?.GetValue<string>(), "WebHook", StringComparison.OrdinalIgnoreCase)
            || destination?["properties"]?["endpointUrl"]?.GetValue<string>() is not { } url
            || !Uri.TryCreate(url, UriKind.Absolute, out var endpoint))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "BadRequest", "The emulator delivers only to WebHook destinations with an absolute properties.destination.properties.endpointUrl.", "properties.destination");
        }

        if (properties["filter"]?["advancedFilters"] is JsonArray { Count: > 0 })
        {
            throw new ArmException(HttpStatusCode.BadRequest, "BadRequest", "Advanced filters are not emulated.", "properties.filter.advancedFilters");
        }

        var schema = properties["eventDeliverySchema"]?.GetValue<string>() ?? "EventGridSchema";
        if (schema.Equals("CustomInputSchema", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "BadRequest", "CustomInputSchema is not emulated.", "properties.eventDeliverySchema");
        }

        var filter = properties["filter"] as JsonObject;
        var subscription = new EventSubscription
        {
            Name = request.Path.Name,
            Endpoint = endpoint,
            Schema = schema.Equals("CloudEventSchemaV1_0", StringComparison.OrdinalIgnoreCase) ? EventDeliverySchema.CloudEventSchemaV1_0 : EventDeliverySchema.EventGridSchema,
            Scope = request.Path.Scope,
            IncludedEventTypes = (filter?["includedEventTypes"] as JsonArray)?.Select(t => t!.GetValue<string>()).ToList(),
            SubjectBeginsWith = filter?["subjectBeginsWith"]?.GetValue<string>(),
            SubjectEndsWith = filter?["subjectEndsWith"]?.GetValue<string>(),
            IsSubjectCaseSensitive = filter?["isSubjectCaseSensitive"]?.GetValue<bool>() ?? false,
            MaxDeliveryAttempts = properties["retryPolicy"]?["maxDeliveryAttempts"]?.GetValue<int>() ?? 30,
            EventTimeToLive = TimeSpan.FromMinutes(properties["retryPolicy"]?["eventTimeToLiveInMinutes"]?.GetValue<int>() ?? 1440),
        };

        var doc = new JsonObject
        {
            ["id"] = request.Path.ItemId,
            ["name"] = request.Path.Name,
            ["type"] = Type,
            ["properties"] = (JsonObject)properties.DeepClone(),
        };
        doc["properties"]!["topic"] = request.Path.Scope;
        doc["properties"]!["provisioningState"] = "Creating";
        doc["properties"]!["eventDeliverySchema"] = schema;
        doc["properties"]!["destination"]!["properties"]!["endpointBaseUrl"] = endpoint.GetLeftPart(UriPartial.Path);
        var (resource, created) = Save(request, doc);
        var operation = Context.Operations.StartManual(resource.SubscriptionId, "Microsoft.EventGrid", "global", resource.Id, "PUT", HandshakeKind, new JsonObject { ["name"] = subscription.Name });
        _ = Task.Run(async () =>
        {
            try
            {
                await _subscriptions.CreateOrUpdateAsync(subscription);
            }
            catch (ArgumentException ex)
            {
                Complete(subscription.Name, subscription with { ProvisioningState = "Failed", Error = ex.Message });
            }
        });
        var response = created ? ArmResponse.Created(Render(resource)) : ArmResponse.Ok(Render(resource));
        return OperationTracker.WithAsyncHeaders(response, operation, Context.BaseUri, request.ApiVersion, Context.Options.AsyncRetryAfterSeconds, location: false);
    }

    public override ArmResponse Delete(ArmRequest request)
    {
        var resource = Find(request);
        if (resource is null)
        {
            return ArmResponse.NoContent();
        }

        Context.Store.Remove(resource.Id);
        return ArmResponse.Ok(null);
    }

    public override JsonObject Render(StoredResource resource)
    {
        var doc = (JsonObject)resource.Document.DeepClone();
        if (_subscriptions.Get(resource.Name) is { ProvisioningState: not "Creating" } current)
        {
            doc["properties"]!["provisioningState"] = current.ProvisioningState;
        }

        return doc;
    }

    protected override JsonNode RenderForRead(StoredResource resource) => Render(resource);

    /// <summary>A handshake ended: the ARM operations waiting for it end, and the resource shows the outcome.</summary>
    private void Complete(string name, EventSubscription result) => Context.Change(() =>
    {
        foreach (var operation in Context.Operations.PendingManual(HandshakeKind).Where(o => string.Equals(o.Arg("name"), name, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            Finish(operation, result);
        }
    });

    private void Finish(ArmOperation operation, EventSubscription result)
    {
        if (Context.Store.Find(operation.ResourceId) is { } current)
        {
            var d = (JsonObject)current.Document.DeepClone();
            d["properties"]!["provisioningState"] = result.ProvisioningState;
            current.Document = d;
        }

        Context.Operations.FinishManual(operation, result.ProvisioningState == "Succeeded" ? null : new ArmError("Url validation", result.Error ?? "Webhook validation handshake failed."));
        Context.Logger.LogDebug("Event subscription {Id} ended {State}", operation.ResourceId, result.ProvisioningState);
    }
}
