using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.EventGrid;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>
/// One ARM resource type: its api-versions and its operations. Every method runs under the store lock.
/// </summary>
internal abstract class ResourceTypeHandler(EmulatorContext context)
{
    protected EmulatorContext Context { get; } = context;

    /// <summary>Full type, e.g. <c>Microsoft.ManagedIdentity/userAssignedIdentities</c>.</summary>
    public abstract string ResourceType { get; }

    /// <summary>
    /// Supported api-versions, newest first: every version the official type index (<c>Azure.Bicep.Types.Az</c>) lists
    /// for <see cref="ResourceType"/>, so a client on any published version is served and none other is.
    /// </summary>
    public virtual IReadOnlyList<string> ApiVersions => Context.Schemas.ApiVersions(ResourceType);

    /// <summary>The api-versions accepted for <c>POST …/{action}</c> (or for the item itself when null); the type's own by default.</summary>
    public virtual IReadOnlyList<string> ApiVersionsFor(string? action) => ApiVersions;

    /// <summary>Whether the type lives in a location (unsupported versions answer <c>NoRegisteredProviderFound</c>)
    /// or is global (<c>InvalidResourceType</c>).</summary>
    public virtual bool IsLocationBased => true;

    public string Namespace => ResourceType[..ResourceType.IndexOf('/', StringComparison.Ordinal)];

    public virtual ArmResponse Put(ArmRequest request) => throw MethodNotAllowed(request);

    public virtual ArmResponse Patch(ArmRequest request) => throw MethodNotAllowed(request);

    public virtual ArmResponse Get(ArmRequest request)
    {
        var resource = Find(request) ?? throw NotFound(request);
        return ArmResponse.Ok(RenderForRead(resource));
    }

    public virtual ArmResponse Delete(ArmRequest request) => throw MethodNotAllowed(request);

    /// <summary>Lists the type under the request's scope (resource group or subscription, or a parent).</summary>
    public virtual ArmResponse List(ArmRequest request, string scope) =>
        Page(request, Context.Store.OfType(ResourceType, scope).ToList(), Render);

    public virtual ArmResponse Action(ArmRequest request, string action) => throw MethodNotAllowed(request);

    /// <summary>The representation returned to clients (instance views etc. can be computed here).</summary>
    public virtual JsonObject Render(StoredResource resource) => (JsonObject)resource.Document.DeepClone();

    /// <summary>
    /// The representation for a single GET: the stored document itself when the type computes nothing (it is
    /// serialized under the store lock and documents are replaced, never mutated, once stored).
    /// </summary>
    protected virtual JsonNode RenderForRead(StoredResource resource) => resource.Document;

    protected StoredResource? Find(ArmRequest request) => Context.Store.Find(request.Path.ItemId);

    protected static ArmException MethodNotAllowed(ArmRequest request) =>
        new(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"The requested resource does not support http method '{request.Method}'.");

    protected static ArmException NotFound(ArmRequest request)
    {
        var typePath = string.Join('/', request.Path.Types.Select((t, i) => t + "/" + request.Path.Names[i]));
        var where = request.Path.ResourceGroup is { } rg ? $" under resource group '{rg}'" : string.Empty;
        return new ArmException(
            HttpStatusCode.NotFound,
            "ResourceNotFound",
            $"The Resource '{request.Path.Namespace}/{typePath}'{where} was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
    }

    /// <summary>Checks the body against the schema; 400 <c>InvalidRequestContent</c> with the property paths.</summary>
    protected void ValidateBody(ArmRequest request, bool patch = false)
    {
        var violations = Context.Validator.Validate(ResourceType, request.ApiVersion, request.Body, patch);
        if (violations.Count == 0)
        {
            return;
        }

        var first = violations[0];
        throw new ArmException(
            HttpStatusCode.BadRequest,
            new ArmError(
                "InvalidRequestContent",
                $"The request content was invalid and could not be deserialized: '{first.Message} Path '{first.Path}'.'.",
                first.Path,
                violations.Select(v => new ArmError("InvalidRequestContent", v.Message, v.Path)).ToList()));
    }

    /// <summary>The request's resource group, or 404 <c>ResourceGroupNotFound</c>.</summary>
    protected StoredResource RequireResourceGroup(ArmRequest request)
    {
        var name = request.Path.ResourceGroup ?? throw new ArmException(HttpStatusCode.BadRequest, "InvalidResourceId", "A resource group is required.");
        var group = Context.Store.Find($"/subscriptions/{request.Path.SubscriptionId}/resourceGroups/{name}")
            ?? throw ResourceGroupNotFound(name);
        if (request.Method == "PUT" && group.ProvisioningState == "Deleting")
        {
            throw new ArmException(HttpStatusCode.Conflict, "ResourceGroupBeingDeleted", $"The resource group '{group.Name}' is in deprovisioning state and cannot perform this operation.");
        }

        return group;
    }

    public static ArmException ResourceGroupNotFound(string name) =>
        new(HttpStatusCode.NotFound, "ResourceGroupNotFound", $"Resource group '{name}' could not be found.");

    /// <summary>The location of the body, checked against the emulator's locations.</summary>
    protected string RequireLocation(JsonObject body)
    {
        var location = body["location"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "LocationRequired", "The location property is required for this definition.");
        }

        var normalized = NormalizeLocation(location);
        if (!Context.Options.Locations.Contains(normalized, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArmException(
                HttpStatusCode.BadRequest,
                "LocationNotAvailableForResourceType",
                $"The provided location '{location}' is not available for resource type '{ResourceType}'. List of available regions for the resource type is '{string.Join(',', Context.Options.Locations)}'.");
        }

        return normalized;
    }

    protected static string NormalizeLocation(string location) => location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>A new resource document with the standard envelope.</summary>
    protected JsonObject Envelope(ArmRequest request, string? location, JsonObject body)
    {
        var doc = new JsonObject
        {
            ["id"] = request.Path.ItemId,
            ["name"] = request.Path.Name,
            ["type"] = ResourceType,
        };
        if (location is not null)
        {
            doc["location"] = location;
        }

        if (body["tags"] is JsonObject tags)
        {
            doc["tags"] = tags.DeepClone();
        }

        return doc;
    }

    /// <summary>ARM's <c>systemData</c>.</summary>
    protected static JsonObject SystemData(DateTimeOffset created, DateTimeOffset modified) => new()
    {
        ["createdBy"] = "emulator@example.com",
        ["createdByType"] = "User",
        ["createdAt"] = ArmJson.Time(created),
        ["lastModifiedBy"] = "emulator@example.com",
        ["lastModifiedByType"] = "User",
        ["lastModifiedAt"] = ArmJson.Time(modified),
    };

    /// <summary>Stores a resource created or updated by <paramref name="request"/>; returns it and whether it is new.</summary>
    protected (StoredResource Resource, bool Created) Save(ArmRequest request, JsonObject document, object? state = null)
    {
        var now = Context.Time.GetUtcNow();
        var existing = Find(request);
        var resource = new StoredResource
        {
            Id = existing?.Id ?? request.Path.ItemId,
            Type = ResourceType,
            Name = existing?.Name ?? request.Path.Name,
            SubscriptionId = request.Path.SubscriptionId ?? Context.SubscriptionId,
            ResourceGroup = request.Path.ResourceGroup,
            Document = document,
            CreatedAt = existing?.CreatedAt ?? now,
            ChangedAt = now,
            State = state ?? existing?.State,
        };
        document["id"] = resource.Id;
        document["systemData"] = SystemData(resource.CreatedAt, now);
        Context.Store.Put(resource);
        return (resource, existing is null);
    }

    /// <summary>
    /// The synchronous DELETE of a resource with no long-running delete: 200 with no body when it existed (and a
    /// <c>ResourceDeleteSuccess</c> event), 204 when it did not.
    /// </summary>
    protected ArmResponse DeleteNow(ArmRequest request)
    {
        var resource = Find(request);
        if (resource is null)
        {
            return ArmResponse.NoContent();
        }

        Context.Store.Remove(resource.Id);
        RaiseResourceEvent("ResourceDeleteSuccess", resource.Id, ResourceType + "/delete", request.CorrelationId);
        return ArmResponse.Ok(null);
    }

    /// <summary>
    /// Starts the long-running DELETE of <paramref name="resource"/> under <paramref name="kind"/> (whose completion
    /// is registered, e.g. <see cref="CompleteDelete"/>) and answers 202 with ARM's async-operation headers.
    /// </summary>
    protected ArmResponse AcceptDelete(ArmRequest request, StoredResource resource, string providerNamespace, string kind)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resource);
        var operation = Context.Operations.Start(
            resource.SubscriptionId,
            providerNamespace,
            resource.Location ?? "global",
            resource.Id,
            "DELETE",
            Context.Faults.Current.ProvisioningDuration,
            kind,
            new JsonObject { ["correlationId"] = request.CorrelationId });
        return OperationTracker.WithAsyncHeaders(new ArmResponse(HttpStatusCode.Accepted), operation, Context.BaseUri, request.ApiVersion, Context.Options.AsyncRetryAfterSeconds);
    }

    /// <summary>
    /// The completion of a long-running DELETE of a resource without children: it is removed and
    /// <c>ResourceDeleteSuccess</c> is raised with the correlation id the operation kept. Register it for the kind.
    /// </summary>
    protected ArmError? CompleteDelete(ArmOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Context.Store.Remove(operation.ResourceId);
        RaiseResourceEvent("ResourceDeleteSuccess", operation.ResourceId, ResourceType + "/delete", operation.Arg("correlationId") ?? string.Empty);
        return null;
    }

    /// <summary>Raises <c>Microsoft.Resources.ResourceWriteSuccess</c> (or Delete/Action) for a resource.</summary>
    protected void RaiseResourceEvent(string kind, string resourceId, string operation, string correlationId)
    {
        var path = ArmPath.Parse(resourceId);
        var topic = path.ResourceGroup is { } rg ? $"/subscriptions/{path.SubscriptionId}/resourceGroups/{rg}" : $"/subscriptions/{path.SubscriptionId}";
        var data = new JsonObject
        {
            ["authorization"] = new JsonObject { ["scope"] = resourceId, ["action"] = operation, ["evidence"] = new JsonObject { ["role"] = "Owner" } },
            ["claims"] = new JsonObject { ["oid"] = "emulator-caller" },
            ["correlationId"] = correlationId,
            ["resourceProvider"] = path.Namespace ?? "Microsoft.Resources",
            ["resourceUri"] = resourceId,
            ["operationName"] = operation,
            ["status"] = "Succeeded",
            ["subscriptionId"] = path.SubscriptionId,
            ["tenantId"] = Context.TenantId,
        };
        Context.Events.Publish(new EmulatorEvent(Guid.NewGuid().ToString(), "Microsoft.Resources." + kind, resourceId, topic, Context.Time.GetUtcNow(), data));
    }

    /// <summary>A page of a list: <c>{"value":[...],"nextLink":...}</c> using <c>$skipToken</c>.</summary>
    protected ArmResponse Page(ArmRequest request, IReadOnlyList<JsonObject> items) => Page(request, items, item => item);

    /// <summary>A page of a list, rendering only the items on the page (a long list is not rendered once per page).</summary>
    protected ArmResponse Page<T>(ArmRequest request, IReadOnlyList<T> items, Func<T, JsonObject> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        var skip = int.TryParse(request.Query["$skipToken"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var top = int.TryParse(request.Query["$top"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) && t > 0 ? Math.Min(t, Context.Options.PageSize) : Context.Options.PageSize;
        var page = items.Skip(skip).Take(top).Select(i => (JsonNode)render(i)).ToArray();
        var body = new JsonObject { ["value"] = new JsonArray(page) };
        if (skip + page.Length < items.Count)
        {
            var query = request.Query
                .Where(q => !q.Key.Equals("$skipToken", StringComparison.OrdinalIgnoreCase))
                .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"$skipToken={skip + page.Length}");
            body["nextLink"] = $"{Context.BaseUri.ToString().TrimEnd('/')}{request.Path.Scope}{RequestSuffix(request)}?{string.Join('&', query)}";
        }

        return ArmResponse.Ok(body);
    }

    private static string RequestSuffix(ArmRequest request)
    {
        if (request.Path.Kind is ArmPathKind.ResourceGroups)
        {
            return "/resourcegroups";
        }

        var types = string.Join(string.Empty, request.Path.Types.Select((t, i) => "/" + t + "/" + request.Path.Names[i]));
        return $"/providers/{request.Path.Namespace}{types}/{request.Path.Trailing}";
    }

    /// <summary>Forced-failure fault for synchronous creates: 500 before anything is stored.</summary>
    protected void ThrowIfForcedToFail(ArmRequest request)
    {
        if (Context.Faults.IsForcedToFail(request.Path.ItemId, request.Path.Name))
        {
            throw new ArmException(HttpStatusCode.InternalServerError, "InternalServerError", $"The resource '{request.Path.Name}' is configured to fail (emulator fault 'FailingResources').");
        }
    }
}
