using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.Resources;

namespace Provisioning.ArmEmulator.Hosting;

/// <summary>
/// Routes a parsed ARM request to its resource type handler after ARM's own checks: api-version present and
/// supported, subscription known, namespace and type registered. Operation-status and operation-result
/// resources are answered here. Runs under the store lock.
/// </summary>
internal sealed class ArmDispatcher
{
    private readonly EmulatorContext _context;
    private readonly ResourceGroupHandler _groups;
    private readonly Dictionary<string, ResourceTypeHandler> _handlers = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _namespaces = new(StringComparer.OrdinalIgnoreCase) { "Microsoft.Resources" };

    public ArmDispatcher(EmulatorContext context, IEnumerable<ResourceTypeHandler> handlers)
    {
        _context = context;
        _groups = new ResourceGroupHandler(context);
        foreach (var handler in handlers)
        {
            _handlers[handler.ResourceType] = handler;
            _namespaces.Add(handler.Namespace);
        }
    }

    public IReadOnlyDictionary<string, ResourceTypeHandler> Handlers => _handlers;

    public ResourceTypeHandler? HandlerFor(string type) => _handlers.GetValueOrDefault(type);

    public ArmResponse Dispatch(string method, ArmPath path, string? apiVersion, Microsoft.AspNetCore.Http.IQueryCollection query, JsonNode? body, string correlationId)
    {
        _context.Operations.CompleteDue();
        if (path.SubscriptionId is { } sub && !sub.Equals(_context.SubscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmException(HttpStatusCode.NotFound, "SubscriptionNotFound", $"The subscription '{sub}' could not be found.");
        }

        if (path.Kind == ArmPathKind.SubscriptionOperationResult)
        {
            return OperationResult(path.Name, apiVersion ?? string.Empty, resultBody: false);
        }

        if (path.Kind == ArmPathKind.ProviderItem && path.Types.Count == 2 && path.Types[0].Equals("locations", StringComparison.OrdinalIgnoreCase))
        {
            if (path.Types[1].Equals("operationStatuses", StringComparison.OrdinalIgnoreCase))
            {
                return OperationStatus(path.Names[1]);
            }

            if (path.Types[1].Equals("operationResults", StringComparison.OrdinalIgnoreCase))
            {
                return OperationResult(path.Names[1], apiVersion ?? string.Empty, resultBody: true);
            }
        }

        if (string.IsNullOrEmpty(apiVersion))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (path.Kind is ArmPathKind.ResourceGroups or ArmPathKind.ResourceGroup)
        {
            if (!_groups.ApiVersions.Contains(apiVersion, StringComparer.OrdinalIgnoreCase))
            {
                throw new ArmException(HttpStatusCode.BadRequest, "InvalidApiVersionParameter", $"The api-version '{apiVersion}' is invalid. The supported versions are '{string.Join(',', _groups.ApiVersions)}'.");
            }

            var rgRequest = new ArmRequest(method, path, apiVersion, query, body, correlationId);
            return path.Kind == ArmPathKind.ResourceGroups
                ? (method == "GET" ? _groups.List(rgRequest, path.Scope) : throw new ArmException(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"The requested resource does not support http method '{method}'."))
                : Invoke(_groups, rgRequest);
        }

        if (method == "GET" && Subscriptions(path) is { } subscriptions)
        {
            return subscriptions;
        }

        if (path.Kind == ArmPathKind.Unknown || path.Namespace is null)
        {
            throw new ArmException(HttpStatusCode.NotFound, "InvalidResourceType", $"The resource path '{path.Scope}' is not supported by the emulator.");
        }

        if (!_namespaces.Contains(path.Namespace))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "InvalidResourceNamespace", $"The resource namespace '{path.Namespace}' is invalid.");
        }

        ResourceTypeHandler? handler;
        string? action = null;
        var listScope = path.Scope;
        switch (path.Kind)
        {
            case ArmPathKind.ProviderCollection:
                handler = Resolve(path.CollectionType, path, apiVersion);
                break;
            case ArmPathKind.ProviderAction when _handlers.ContainsKey(path.CollectionType):
                handler = Resolve(path.CollectionType, path, apiVersion);
                listScope = path.ItemId;
                break;
            case ArmPathKind.ProviderAction:
                handler = Resolve(path.ItemType, path, apiVersion);
                action = path.Trailing;
                break;
            default:
                handler = Resolve(path.ItemType, path, apiVersion);
                break;
        }

        CheckApiVersion(handler, action, path, apiVersion, body);
        var request = new ArmRequest(method, path, apiVersion, query, body, correlationId);
        if (action is not null)
        {
            return handler.Action(request, action);
        }

        if (path.Kind is ArmPathKind.ProviderCollection or ArmPathKind.ProviderAction)
        {
            if (method != "GET")
            {
                throw new ArmException(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"The requested resource does not support http method '{method}'.");
            }

            if (path.ResourceGroup is { } rg && path.Kind == ArmPathKind.ProviderCollection && _context.Store.Find($"/subscriptions/{path.SubscriptionId}/resourceGroups/{rg}") is null)
            {
                throw ResourceTypeHandler.ResourceGroupNotFound(rg);
            }

            return handler.List(request, listScope);
        }

        return Invoke(handler, request);
    }

    private static ArmResponse Invoke(ResourceTypeHandler handler, ArmRequest request) => request.Method switch
    {
        "GET" => handler.Get(request),
        "HEAD" => Head(handler, request),
        "PUT" => handler.Put(request),
        "PATCH" => handler.Patch(request),
        "DELETE" => handler.Delete(request),
        _ => throw new ArmException(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"The requested resource does not support http method '{request.Method}'."),
    };

    /// <summary>HEAD answers 204 when the resource exists and 404 when it does not, as ARM's existence checks do.</summary>
    private static ArmResponse Head(ResourceTypeHandler handler, ArmRequest request)
    {
        try
        {
            handler.Get(request);
            return ArmResponse.NoContent();
        }
        catch (ArmException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return new ArmResponse(HttpStatusCode.NotFound);
        }
    }

    /// <summary>
    /// <c>GET /subscriptions</c>, <c>/subscriptions/{s}</c>, <c>/subscriptions/{s}/providers[/{namespace}]</c>: the one
    /// subscription and the registered providers with their resource types, api-versions and locations (SDKs read these).
    /// </summary>
    private ArmResponse? Subscriptions(ArmPath path)
    {
        var segments = path.Scope.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var subscription = new JsonObject
        {
            ["id"] = $"/subscriptions/{_context.SubscriptionId}",
            ["subscriptionId"] = _context.SubscriptionId,
            ["tenantId"] = _context.TenantId,
            ["displayName"] = "ARM emulator",
            ["state"] = "Enabled",
            ["subscriptionPolicies"] = new JsonObject { ["locationPlacementId"] = "Public_2014-09-01", ["quotaId"] = "PayAsYouGo_2014-09-01", ["spendingLimit"] = "Off" },
            ["authorizationSource"] = "RoleBased",
        };
        if (path.Kind == ArmPathKind.Unknown && path.Namespace is { } ns && path.Types.Count == 0 && segments is ["subscriptions", _])
        {
            return _namespaces.Contains(ns)
                ? ArmResponse.Ok(Provider(ns))
                : throw new ArmException(HttpStatusCode.NotFound, "InvalidResourceNamespace", $"The resource namespace '{ns}' is invalid.");
        }

        if (path.Kind == ArmPathKind.Unknown && path.Namespace is not null)
        {
            return null;
        }

        if (path.Kind == ArmPathKind.Unknown && segments is ["subscriptions"])
        {
            return ArmResponse.Ok(new JsonObject { ["value"] = new JsonArray(subscription) });
        }

        if (path.Kind == ArmPathKind.Unknown && segments is ["subscriptions", _])
        {
            return ArmResponse.Ok(subscription);
        }

        if (path.Kind == ArmPathKind.Unknown && segments is ["subscriptions", _, "providers"])
        {
            return ArmResponse.Ok(new JsonObject { ["value"] = new JsonArray(_namespaces.Order(StringComparer.Ordinal).Select(n => (JsonNode)Provider(n)).ToArray()) });
        }

        return null;
    }

    private JsonObject Provider(string ns)
    {
        IEnumerable<ResourceTypeHandler> handlers = _handlers.Values;
        if (ns.Equals("Microsoft.Resources", StringComparison.OrdinalIgnoreCase))
        {
            handlers = handlers.Append(_groups);
        }

        var types = handlers.Where(h => h.Namespace.Equals(ns, StringComparison.OrdinalIgnoreCase)).Select(h => (JsonNode)new JsonObject
        {
            ["resourceType"] = h.ResourceType[(h.ResourceType.IndexOf('/', StringComparison.Ordinal) + 1)..],
            ["locations"] = new JsonArray(h.IsLocationBased ? _context.Options.Locations.Select(l => (JsonNode)l).ToArray() : []),
            ["apiVersions"] = new JsonArray(h.ApiVersions.Select(v => (JsonNode)v).ToArray()),
        }).ToArray();
        return new JsonObject
        {
            ["id"] = $"/subscriptions/{_context.SubscriptionId}/providers/{ns}",
            ["namespace"] = _namespaces.First(n => n.Equals(ns, StringComparison.OrdinalIgnoreCase)),
            ["registrationState"] = "Registered",
            ["registrationPolicy"] = "RegistrationRequired",
            ["resourceTypes"] = new JsonArray(types),
        };
    }

    private ResourceTypeHandler Resolve(string type, ArmPath path, string apiVersion)
    {
        if (_handlers.TryGetValue(type, out var handler))
        {
            return handler;
        }

        var shortType = type[(type.IndexOf('/', StringComparison.Ordinal) + 1)..];
        throw new ArmException(HttpStatusCode.NotFound, "InvalidResourceType", $"The resource type '{shortType}' could not be found in the namespace '{path.Namespace}' for api version '{apiVersion}'.");
    }

    /// <summary>
    /// Refuses an api-version the type (or action) was never published with, as ARM does: <c>400
    /// NoRegisteredProviderFound</c> for a location-based type, <c>404 InvalidResourceType</c> for a global one, each
    /// listing the supported versions oldest first (ARM's order; global types without a space after the comma).
    /// </summary>
    private void CheckApiVersion(ResourceTypeHandler handler, string? action, ArmPath path, string apiVersion, JsonNode? body)
    {
        var supported = handler.ApiVersionsFor(action);
        if (supported.Contains(apiVersion, StringComparer.OrdinalIgnoreCase))
        {
            return;
        }

        var shortType = handler.ResourceType[(handler.ResourceType.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var ascending = supported.Order(StringComparer.Ordinal).ToList();
        if (!handler.IsLocationBased)
        {
            throw new ArmException(HttpStatusCode.NotFound, "InvalidResourceType", $"The resource type '{shortType}' could not be found in the namespace '{handler.Namespace}' for api version '{apiVersion}'. The supported api-versions are '{string.Join(',', ascending)}'.");
        }

        var location = ((body as JsonObject)?["location"] as JsonValue)?.TryGetValue<string>(out var l) == true ? l : null;
        location ??= _context.Store.Find(path.ItemId)?.Location
            ?? (path.ResourceGroup is { } rg ? _context.Store.Find($"/subscriptions/{path.SubscriptionId}/resourceGroups/{rg}")?.Location : null)
            ?? _context.Options.Locations[0];
        throw new ArmException(
            HttpStatusCode.BadRequest,
            "NoRegisteredProviderFound",
            $"No registered resource provider found for location '{location}' and API version '{apiVersion}' for type '{shortType}'. The supported api-versions are '{string.Join(", ", ascending)}'. The supported locations are '{string.Join(", ", _context.Options.Locations)}'.");
    }

    private ArmResponse OperationStatus(string id)
    {
        var operation = _context.Operations.Find(id)
            ?? throw new ArmException(HttpStatusCode.NotFound, "OperationNotFound", $"The operation '{id}' could not be found.");
        var response = ArmResponse.Ok(OperationTracker.StatusBody(operation));
        if (!operation.IsDone)
        {
            response.Headers["Retry-After"] = _context.Options.AsyncRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return response;
    }

    private ArmResponse OperationResult(string id, string apiVersion, bool resultBody)
    {
        var operation = _context.Operations.Find(id)
            ?? throw new ArmException(HttpStatusCode.NotFound, "OperationNotFound", $"The operation '{id}' could not be found.");
        if (!operation.IsDone)
        {
            var pending = new ArmResponse(HttpStatusCode.Accepted);
            pending.Headers["Retry-After"] = _context.Options.AsyncRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            pending.Headers["Location"] = resultBody
                ? $"{_context.BaseUri.ToString().TrimEnd('/')}/subscriptions/{operation.SubscriptionId}/providers/{operation.Namespace}/locations/{operation.Location}/operationResults/{operation.Id}?api-version={apiVersion}"
                : $"{_context.BaseUri.ToString().TrimEnd('/')}/subscriptions/{operation.SubscriptionId}/operationresults/{operation.Id}?api-version={apiVersion}";
            return pending;
        }

        if (operation.Status == "Failed" && operation.Error is { } error)
        {
            return new ArmResponse(operation.ErrorStatus, error.ToBody());
        }

        if (operation.Method == "DELETE" || !resultBody)
        {
            return resultBody ? ArmResponse.NoContent() : new ArmResponse(HttpStatusCode.OK);
        }

        var resource = _context.Store.Find(operation.ResourceId);
        if (resource is null)
        {
            return ArmResponse.NoContent();
        }

        var handler = _handlers.GetValueOrDefault(resource.Type);
        return ArmResponse.Ok(handler?.Render(resource) ?? resource.Document);
    }
}
