using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.ContainerRegistry;
using Provisioning.ArmEmulator.ManagedIdentity;
using Provisioning.ArmEmulator.State;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator.App;

/// <summary>
/// <c>Microsoft.App/containerApps</c>: long-running PUT whose revision pulls its images at the end of the
/// provisioning duration. <c>configuration.registries[].identity</c> is a user-assigned identity id attached to the
/// app, or <c>system</c> with a system-assigned identity (created with the app, so a brand-new app cannot hold a
/// grant yet and a private image fails, as in Azure). Container Apps pulls with ARM-audience tokens and is not a
/// trusted service: registries with <c>azureADAuthenticationAsArmPolicy</c> disabled or restricted networks refuse it.
/// Every PUT starts a revision (named <c>{app}--{template.revisionSuffix}</c>, or a random suffix), which the app keeps
/// in its document under <see cref="RevisionsKey"/> (never rendered) and <see cref="ContainerAppRevisionHandler"/>
/// serves: <c>Provisioning</c>/<c>Processing</c> while it pulls, then <c>Provisioned</c>/<c>Running</c> or
/// <c>Failed</c>/<c>Failed</c> with the pull's <c>provisioningError</c>. Single revision mode: only the latest is active.
/// </summary>
internal sealed class ContainerAppHandler : ResourceTypeHandler
{
    public const string Type = "Microsoft.App/containerApps";

    private const string CreateKind = "containerApps.create";
    private const string DeleteKind = "containerApps.delete";

    private readonly PullAuthorizer _pulls;

    public ContainerAppHandler(EmulatorContext context)
        : base(context)
    {
        _pulls = new PullAuthorizer(context);
        context.Operations.Register(CreateKind, CompleteCreate);
        context.Operations.Register(DeleteKind, CompleteDelete);
    }

    /// <summary>Where the app's revisions are kept in its stored document; stripped from every response.</summary>
    public const string RevisionsKey = "emulatorRevisions";

    public override string ResourceType => Type;

    public override JsonObject Render(StoredResource resource)
    {
        var copy = (JsonObject)resource.Document.DeepClone();
        copy.Remove(RevisionsKey);
        return copy;
    }

    protected override JsonNode RenderForRead(StoredResource resource) => Render(resource);

    /// <summary>The revisions of an app, oldest first.</summary>
    public static IEnumerable<JsonObject> RevisionsOf(StoredResource app) => (app.Document[RevisionsKey] as JsonArray ?? []).OfType<JsonObject>();

    public static string? EnvironmentOf(StoredResource app) =>
        (app.Document["properties"]?["managedEnvironmentId"] ?? app.Document["properties"]?["environmentId"])?.GetValue<string>();

    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        NameRules.ContainerApp.Check(ResourceType, request.Path.Name);
        ValidateBody(request);
        RequireResourceGroup(request);
        var location = RequireLocation(body);
        var existing = Find(request);
        var properties = body["properties"] is JsonObject p ? (JsonObject)p.DeepClone() : [];
        var environmentId = (properties["managedEnvironmentId"] ?? properties["environmentId"])?.GetValue<string>();
        var environment = environmentId is null ? null : Context.Store.Find(environmentId);
        if (environment is null || !environment.Type.Equals(ManagedEnvironmentHandler.Type, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "ManagedEnvironmentNotFound", $"Managed environment '{environmentId}' was not found.", "properties.managedEnvironmentId");
        }

        var identity = ResolveIdentity(body["identity"] as JsonObject, existing);
        ResolveRegistries(properties, identity, null);

        var doc = Envelope(request, location, body);
        if (identity is not null)
        {
            doc["identity"] = identity;
        }

        var secrets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var secret in (properties["configuration"]?["secrets"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (secret["name"]?.GetValue<string>() is { } secretName && secret["value"]?.GetValue<string>() is { } secretValue)
            {
                secrets[secretName] = secretValue;
            }

            secret.Remove("value");
        }

        properties["managedEnvironmentId"] = environment.Id;
        properties["environmentId"] = environment.Id;
        properties["provisioningState"] = "InProgress";
        // A new app is on its way to Running; an app already running keeps serving its ready revision meanwhile.
        properties["runningStatus"] = existing?.Document["properties"]?["runningStatus"]?.GetValue<string>() == "Running" ? "Running" : "Progressing";
        var suffix = properties["template"]?["revisionSuffix"]?.GetValue<string>();
        var revision = $"{request.Path.Name}--{(string.IsNullOrEmpty(suffix) ? Guid.NewGuid().ToString("N")[..7] : suffix)}";
        properties["latestRevisionName"] = revision;
        if (existing?.Document["properties"]?["latestReadyRevisionName"] is { } ready)
        {
            // The revision that last became ready stays so until a newer one does, as in Azure.
            properties["latestReadyRevisionName"] = ready.DeepClone();
        }
        var domain = environment.Document["properties"]?["defaultDomain"]?.GetValue<string>();
        if (properties["configuration"]?["ingress"] is JsonObject ingress)
        {
            ingress["fqdn"] = $"{request.Path.Name}.{domain}";
            properties["latestRevisionFqdn"] = $"{revision}.{domain}";
        }

        properties["outboundIpAddresses"] = new JsonArray(environment.Document["properties"]?["staticIp"]?.DeepClone());
        doc["properties"] = properties;
        doc[RevisionsKey] = NewRevisions(existing, revision, properties, request.Path.ItemId);
        var (resource, created) = Save(request, doc, secrets);
        var fail = Context.Faults.IsForcedToFail(resource.Id, resource.Name);
        var operation = Context.Operations.Start(
            resource.SubscriptionId,
            "Microsoft.App",
            location,
            resource.Id,
            "PUT",
            Context.Faults.Current.ProvisioningDuration,
            CreateKind,
            new JsonObject { ["fail"] = fail, ["revision"] = revision, ["correlationId"] = request.CorrelationId });
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

        Context.Operations.CancelFor(resource.Id);
        return AcceptDelete(request, resource, "Microsoft.App", DeleteKind);
    }

    /// <summary>The end of a create or update: the revision it started pulls its images.</summary>
    private ArmError? CompleteCreate(ArmOperation operation)
    {
        var revision = operation.Arg("revision");
        var r = Context.Store.Find(operation.ResourceId);
        if (r is null || r.Document["properties"]!["latestRevisionName"]?.GetValue<string>() != revision)
        {
            return new ArmError("ResourceNotFound", "The container app was deleted or replaced.");
        }

        var error = operation.Flag("fail")
            ? new ArmError("InternalServerError", $"The resource '{r.Name}' is configured to fail (emulator fault 'FailingResources').")
            : PullImages(r);
        var d = (JsonObject)r.Document.DeepClone();
        d["properties"]!["provisioningState"] = error is null ? "Succeeded" : "Failed";
        // A revision that fails leaves a running app on its last ready revision; an app that never ran stays stopped.
        d["properties"]!["runningStatus"] = error is null || d["properties"]!["runningStatus"]?.GetValue<string>() == "Running" ? "Running" : "Stopped";
        if (error is null)
        {
            d["properties"]!["latestReadyRevisionName"] = revision;
        }

        foreach (var entry in (d[RevisionsKey] as JsonArray ?? []).OfType<JsonObject>().Where(e => e["name"]?.GetValue<string>() == revision))
        {
            var p = entry["properties"]!;
            p["provisioningState"] = error is null ? "Provisioned" : "Failed";
            p["runningState"] = error is null ? "Running" : "Failed";
            p["healthState"] = error is null ? "Healthy" : "Unhealthy";
            p["replicas"] = error is null ? 1 : 0;
            if (error is not null)
            {
                p["provisioningError"] = error.Message;
            }
        }

        r.Document = d;
        RaiseResourceEvent(error is null ? "ResourceWriteSuccess" : "ResourceWriteFailure", r.Id, Type + "/write", operation.Arg("correlationId") ?? string.Empty);
        return error;
    }

    /// <summary>The app's revisions after a PUT: the earlier ones deactivated (single revision mode), the new one provisioning.</summary>
    private JsonArray NewRevisions(StoredResource? existing, string revision, JsonObject properties, string appId)
    {
        var revisions = new JsonArray();
        foreach (var earlier in existing is null ? [] : RevisionsOf(existing))
        {
            if (earlier["name"]?.GetValue<string>() == revision)
            {
                continue;
            }

            var copy = (JsonObject)earlier.DeepClone();
            copy["properties"]!["active"] = false;
            copy["properties"]!["trafficWeight"] = 0;
            revisions.Add(copy);
        }

        var now = ArmJson.Time(Context.Time.GetUtcNow());
        revisions.Add(new JsonObject
        {
            ["id"] = $"{appId}/revisions/{revision}",
            ["name"] = revision,
            ["type"] = Type + "/revisions",
            ["properties"] = new JsonObject
            {
                ["createdTime"] = now,
                ["lastActiveTime"] = now,
                ["fqdn"] = properties["latestRevisionFqdn"]?.DeepClone(),
                ["template"] = properties["template"]?.DeepClone(),
                ["active"] = true,
                ["replicas"] = 0,
                ["trafficWeight"] = 100,
                ["healthState"] = "None",
                ["provisioningState"] = "Provisioning",
                ["runningState"] = "Processing",
            },
        });
        return revisions;
    }

    private ArmError? PullImages(StoredResource app)
    {
        var properties = app.Document["properties"]!;
        var credentials = ResolveRegistries((JsonObject)properties, app.Document["identity"] as JsonObject, app.State as Dictionary<string, string>);
        var containers = (properties["template"]?["containers"] as JsonArray ?? []).Concat(properties["template"]?["initContainers"] as JsonArray ?? []);
        foreach (var container in containers)
        {
            var image = container?["image"]?.GetValue<string>() ?? string.Empty;
            var reference = ImageReference.Parse(image);
            var credential = credentials.TryGetValue(reference.Server, out var c) ? c : PullCredential.Anonymous;
            var result = _pulls.Check(reference, credential, PullClient.ContainerApps);
            if (!result.Succeeded)
            {
                var name = container?["name"]?.GetValue<string>();
                return new ArmError(
                    "ContainerAppOperationError",
                    $"Failed to provision revision for container app '{app.Name}'. Error details: The following field(s) are either invalid or missing. Field 'template.containers.{name}.image' is invalid with details: 'Invalid value: \"{image}\": {result.Message}';..");
            }
        }

        return null;
    }

    private JsonObject? ResolveIdentity(JsonObject? requested, StoredResource? existing)
    {
        if (requested is null)
        {
            return null;
        }

        var type = requested["type"]?.GetValue<string>() ?? "None";
        var result = new JsonObject { ["type"] = type };
        if (type.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            SystemAssignedPrincipal.Assign(Context, result, existing, "container app system identity");
        }

        if (requested["userAssignedIdentities"] is JsonObject map)
        {
            result["userAssignedIdentities"] = UserAssignedIdentityReferences.Resolve(Context, map, UserAssignedIdentityReferences.NotFound);
        }

        return result;
    }

    /// <summary>Checks <c>configuration.registries</c> and maps each server to its pull credential.</summary>
    private static Dictionary<string, PullCredential> ResolveRegistries(JsonObject properties, JsonObject? identity, Dictionary<string, string>? secrets)
    {
        var map = new Dictionary<string, PullCredential>(StringComparer.OrdinalIgnoreCase);
        if (properties["configuration"]?["registries"] is not JsonArray registries)
        {
            return map;
        }

        foreach (var registry in registries)
        {
            var server = registry?["server"]?.GetValue<string>() ?? string.Empty;
            var identityRef = registry?["identity"]?.GetValue<string>();
            if (identityRef is null)
            {
                var secretRef = registry?["passwordSecretRef"]?.GetValue<string>();
                map[server] = new PullCredential(null, registry?["username"]?.GetValue<string>(), secretRef is null ? null : secrets?.GetValueOrDefault(secretRef));
                continue;
            }

            string? principal;
            if (identityRef.Equals("system", StringComparison.OrdinalIgnoreCase))
            {
                principal = identity?["principalId"]?.GetValue<string>();
            }
            else
            {
                principal = (identity?["userAssignedIdentities"] as JsonObject)?
                    .FirstOrDefault(kv => kv.Key.Equals(identityRef, StringComparison.OrdinalIgnoreCase)).Value?["principalId"]?.GetValue<string>();
            }

            if (principal is null)
            {
                throw new ArmException(
                    HttpStatusCode.BadRequest,
                    "InvalidRegistryIdentity",
                    $"The registry '{server}' uses identity '{identityRef}', which is not assigned to the container app.",
                    "properties.configuration.registries");
            }

            map[server] = new PullCredential(principal);
        }

        return map;
    }
}
