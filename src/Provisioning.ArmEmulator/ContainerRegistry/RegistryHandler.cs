using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.State;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>
/// <c>Microsoft.ContainerRegistry/registries</c>: long-running create (201 + <c>Azure-AsyncOperation</c>,
/// <c>Creating</c> → <c>Succeeded</c>), synchronous update and PATCH, long-running DELETE, <c>listCredentials</c>.
/// Images live in <see cref="RegistryState"/> and are pushed through the admin endpoint.
/// </summary>
internal sealed class RegistryHandler : ResourceTypeHandler
{
    public const string Type = "Microsoft.ContainerRegistry/registries";

    private const string CreateKind = "registries.create";
    private const string DeleteKind = "registries.delete";

    private readonly RunScheduler _runs;

    public RegistryHandler(EmulatorContext context, RunScheduler runs)
        : base(context)
    {
        _runs = runs;
        context.Operations.Register(CreateKind, CompleteCreate);
        context.Operations.Register(DeleteKind, operation =>
        {
            DeleteWithChildren(operation.ResourceId);
            RaiseResourceEvent("ResourceDeleteSuccess", operation.ResourceId, Type + "/delete", operation.Arg("correlationId") ?? string.Empty);
            return null;
        });
    }

    public override string ResourceType => Type;

    /// <summary>
    /// <c>scheduleRun</c> belongs to the ACR Tasks api (<c>containerregistry_build.json</c>): ARM serves it on the Tasks
    /// versions (2018-09-01, 2019-04-01, 2019-06-01-preview, …), which are not all registry versions.
    /// </summary>
    public override IReadOnlyList<string> ApiVersionsFor(string? action) =>
        action is not null && action.Equals("scheduleRun", StringComparison.OrdinalIgnoreCase)
            ? Context.Schemas.ApiVersions(RegistryTaskHandler.Type)
            : ApiVersions;


    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        NameRules.Registry.Check(ResourceType, request.Path.Name);
        ValidateBody(request);
        RequireResourceGroup(request);
        var location = RequireLocation(body);
        var existing = Find(request);
        if (existing is null && Context.Store.OfType(Type).Any(r => r.Name.Equals(request.Path.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArmException(HttpStatusCode.Conflict, "AlreadyInUse", $"The registry {request.Path.Name} is already in use.");
        }

        var doc = Envelope(request, location, body);
        doc["sku"] = new JsonObject { ["name"] = body["sku"]!["name"]!.GetValue<string>(), ["tier"] = body["sku"]!["name"]!.GetValue<string>() };
        if (body["identity"] is JsonObject identity)
        {
            doc["identity"] = identity.DeepClone();
        }

        var properties = existing?.Document["properties"] is JsonObject current ? (JsonObject)current.DeepClone() : Defaults(request.Path.Name);
        if (body["properties"] is JsonObject supplied)
        {
            Merge(properties, supplied);
        }

        doc["properties"] = properties;
        if (existing is not null)
        {
            properties["provisioningState"] = "Succeeded";
            var (updated, _) = Save(request, doc);
            RaiseResourceEvent("ResourceWriteSuccess", updated.Id, Type + "/write", request.CorrelationId);
            return ArmResponse.Ok(Render(updated));
        }

        properties["provisioningState"] = "Creating";
        var (resource, _) = Save(request, doc, new RegistryState());
        var fail = Context.Faults.IsForcedToFail(resource.Id, resource.Name);
        var operation = Context.Operations.Start(
            resource.SubscriptionId,
            "Microsoft.ContainerRegistry",
            location,
            resource.Id,
            "PUT",
            Context.Faults.Current.ProvisioningDuration,
            CreateKind,
            new JsonObject { ["fail"] = fail, ["correlationId"] = request.CorrelationId });
        return OperationTracker.WithAsyncHeaders(ArmResponse.Created(Render(resource)), operation, Context.BaseUri, request.ApiVersion, Context.Options.AsyncRetryAfterSeconds, location: false);
    }

    public override ArmResponse Patch(ArmRequest request)
    {
        var resource = Find(request) ?? throw NotFound(request);
        var body = request.RequireObjectBody();
        ValidateBody(request, patch: true);
        var doc = (JsonObject)resource.Document.DeepClone();
        if (body["tags"] is JsonObject tags)
        {
            doc["tags"] = tags.DeepClone();
        }

        if (body["sku"]?["name"] is JsonValue sku)
        {
            doc["sku"] = new JsonObject { ["name"] = sku.GetValue<string>(), ["tier"] = sku.GetValue<string>() };
        }

        if (body["identity"] is JsonObject identity)
        {
            doc["identity"] = identity.DeepClone();
        }

        if (body["properties"] is JsonObject supplied)
        {
            Merge((JsonObject)doc["properties"]!, supplied);
        }

        resource.Document = doc;
        resource.ChangedAt = Context.Time.GetUtcNow();
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, Type + "/write", request.CorrelationId);
        return ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Delete(ArmRequest request)
    {
        var resource = Find(request);
        if (resource is null)
        {
            return ArmResponse.NoContent();
        }

        SetProvisioningState(resource, "Deleting");
        return AcceptDelete(request, resource, "Microsoft.ContainerRegistry", DeleteKind);
    }

    public override ArmResponse Action(ArmRequest request, string action)
    {
        var resource = Find(request) ?? throw NotFound(request);
        if (action.Equals("listCredentials", StringComparison.OrdinalIgnoreCase) && request.Method == "POST")
        {
            if (resource.Document["properties"]?["adminUserEnabled"]?.GetValue<bool>() != true)
            {
                throw new ArmException(HttpStatusCode.BadRequest, "AdminUserDisabled", $"Admin user is disabled for registry '{resource.Name}'.");
            }

            var state = (RegistryState)resource.State!;
            return ArmResponse.Ok(new JsonObject
            {
                ["username"] = resource.Name,
                ["passwords"] = new JsonArray(
                    new JsonObject { ["name"] = "password", ["value"] = state.AdminPasswords[0] },
                    new JsonObject { ["name"] = "password2", ["value"] = state.AdminPasswords[1] }),
            });
        }

        if (action.Equals("scheduleRun", StringComparison.OrdinalIgnoreCase) && request.Method == "POST")
        {
            if (resource.ProvisioningState != "Succeeded")
            {
                throw new ArmException(HttpStatusCode.Conflict, "RegistryNotReady", $"The registry '{resource.Name}' is in provisioning state '{resource.ProvisioningState}'.");
            }

            return _runs.Schedule(request, resource);
        }

        throw MethodNotAllowed(request);
    }

    private ArmError? CompleteCreate(ArmOperation operation)
    {
        var r = Context.Store.Find(operation.ResourceId);
        if (r is null)
        {
            return new ArmError("ResourceNotFound", "The registry was deleted while it was being created.");
        }

        var fail = operation.Flag("fail");
        SetProvisioningState(r, fail ? "Failed" : "Succeeded");
        if (fail)
        {
            return new ArmError("InternalServerError", $"The resource '{r.Name}' is configured to fail (emulator fault 'FailingResources').");
        }

        RaiseResourceEvent("ResourceWriteSuccess", r.Id, Type + "/write", operation.Arg("correlationId") ?? string.Empty);
        return null;
    }

    private void DeleteWithChildren(string id)
    {
        foreach (var r in Context.Store.All.Where(r => ResourceStore.IsAtOrBelow(r.Id, id)).ToList())
        {
            Context.Operations.CancelFor(r.Id);
            Context.Store.Remove(r.Id);
        }
    }

    private static void SetProvisioningState(StoredResource resource, string state)
    {
        var doc = (JsonObject)resource.Document.DeepClone();
        doc["properties"]!["provisioningState"] = state;
        resource.Document = doc;
    }

    private JsonObject Defaults(string name) => new()
    {
        ["loginServer"] = name.ToLowerInvariant() + ".azurecr.io",
        ["creationDate"] = ArmJson.Time(Context.Time.GetUtcNow()),
        ["provisioningState"] = "Creating",
        ["adminUserEnabled"] = false,
        ["networkRuleSet"] = new JsonObject { ["defaultAction"] = "Allow", ["ipRules"] = new JsonArray() },
        ["policies"] = new JsonObject
        {
            ["quarantinePolicy"] = new JsonObject { ["status"] = "disabled" },
            ["trustPolicy"] = new JsonObject { ["type"] = "Notary", ["status"] = "disabled" },
            ["retentionPolicy"] = new JsonObject { ["days"] = 7, ["status"] = "disabled" },
            ["exportPolicy"] = new JsonObject { ["status"] = "enabled" },
            ["azureADAuthenticationAsArmPolicy"] = new JsonObject { ["status"] = "enabled" },
        },
        ["encryption"] = new JsonObject { ["status"] = "disabled" },
        ["dataEndpointEnabled"] = false,
        ["dataEndpointHostNames"] = new JsonArray(),
        ["privateEndpointConnections"] = new JsonArray(),
        ["publicNetworkAccess"] = "Enabled",
        ["networkRuleBypassOptions"] = "AzureServices",
        ["zoneRedundancy"] = "Disabled",
        ["anonymousPullEnabled"] = false,
        ["roleAssignmentMode"] = "LegacyRegistryPermissions",
    };

    private static readonly HashSet<string> ReadOnlyProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "loginServer", "creationDate", "provisioningState", "status", "privateEndpointConnections", "dataEndpointHostNames",
    };

    private static void Merge(JsonObject target, JsonObject source, bool topLevel = true)
    {
        foreach (var (key, value) in source)
        {
            if (topLevel && ReadOnlyProperties.Contains(key))
            {
                continue;
            }

            if (value is JsonObject child && target[key] is JsonObject existing)
            {
                Merge(existing, child, topLevel: false);
            }
            else
            {
                target[key] = value?.DeepClone();
            }
        }
    }
}
