using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.ContainerRegistry;
using Provisioning.ArmEmulator.ManagedIdentity;
using Provisioning.ArmEmulator.State;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator.ContainerInstance;

/// <summary>
/// <c>Microsoft.ContainerInstance/containerGroups</c>: long-running PUT (201 + <c>Azure-AsyncOperation</c>) whose
/// outcome depends on the image pulls at the end of the provisioning duration; instance view with container states
/// and events; DELETE (long-running); <c>restart</c> (204, long-running), <c>start</c> (202 long-running, or 204 when
/// already running), <c>stop</c> (204), as the REST spec answers them.
/// </summary>
internal sealed class ContainerGroupHandler : ResourceTypeHandler
{
    public const string Type = "Microsoft.ContainerInstance/containerGroups";

    private const string ProvisionKind = "containerGroups.provision";
    private const string DeleteKind = "containerGroups.delete";

    // The detail ACI reports for a container that ran to its end; the emulated exit code is derived from it.
    private const string CompletedDetail = "Completed";

    private readonly PullAuthorizer _pulls;

    public ContainerGroupHandler(EmulatorContext context)
        : base(context)
    {
        _pulls = new PullAuthorizer(context);
        context.Operations.Register(ProvisionKind, CompleteProvisioning);
        context.Operations.Register(DeleteKind, CompleteDelete);
    }

    public override string ResourceType => Type;


    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        NameRules.ContainerGroup.Check(ResourceType, request.Path.Name);
        ValidateBody(request);
        RequireResourceGroup(request);
        var location = RequireLocation(body);
        var existing = Find(request);
        var name = request.Path.Name;
        if (existing?.ProvisioningState is "Pending" or "Creating" or "Updating" or "Deleting" or "Repairing"
            || existing?.State is ContainerGroupState { State: "Pending" })
        {
            // ACI takes no PUT while a group is being created, restarted or deleted; the same PUT succeeds once it settles.
            throw new ArmException(HttpStatusCode.Conflict, "ContainerGroupTransitioning",
                $"The container group '{name}' is still transitioning, please retry later.");
        }

        if (existing is not null && UpdateRestriction(existing.Document["properties"], body["properties"]) is { } restricted)
        {
            // ACI updates only some properties in place (images, environment, command, tags...); the rest needs delete + create.
            throw new ArmException(HttpStatusCode.BadRequest, "InvalidContainerGroupUpdate",
                $"The updates on container group '{name}' are invalid ({restricted}). If you are going to update the os type, restart policy, network profile, CPU, memory or GPU resources for a container group, you must delete it first and then create a new one.");
        }

        if (Context.Faults.Current.RegionsOverQuota.Contains(location, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArmException(HttpStatusCode.Conflict, "ContainerGroupQuotaReached",
                $"Resource type '{Type}' container group quota 'StandardCores' exceeded in region '{location}'. Limit: '10', Usage: '10' Requested: '1'.");
        }

        if (Context.Faults.Current.RegionsWithoutCapacity.Contains(location, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArmException(HttpStatusCode.Conflict, "ServiceUnavailable",
                $"The requested resource is not available in the location '{location}' at this moment. Please retry with a different resource request or in another location.");
        }

        if (body["properties"]?["imageRegistryCredentials"] is JsonArray credentialList && body["properties"]?["containers"] is JsonArray containerList && credentialList.Count > containerList.Count)
        {
            throw new ArmException(HttpStatusCode.BadRequest, "MoreImageRegistryCredentialsThanContainers",
                $"The number of image registry credentials '{credentialList.Count}' in container group '{name}' is more than the number of containers '{containerList.Count}'.");
        }

        var identity = ResolveIdentity(body["identity"] as JsonObject, existing);
        var properties = (JsonObject)body["properties"]!.DeepClone();
        var credentials = ResolveCredentials(name, properties, identity);
        var images = ((JsonArray)properties["containers"]!).Select(c => c!["properties"]!["image"]?.GetValue<string>() ?? string.Empty).ToList();

        foreach (var image in images)
        {
            var reference = ImageReference.Parse(image);
            var credential = CredentialFor(reference, credentials);
            if (credential?.PrincipalId is not null && !Context.Faults.Current.SynchronousPullFailures)
            {
                continue;
            }

            var result = _pulls.Check(reference, credential ?? PullCredential.Anonymous, PullClient.ContainerInstances);
            if (!result.Succeeded)
            {
                throw InaccessibleImage(image, name);
            }
        }

        var doc = Envelope(request, location, body);
        if (identity is not null)
        {
            doc["identity"] = identity;
        }

        if (body["zones"] is JsonArray zones)
        {
            doc["zones"] = zones.DeepClone();
        }

        properties["provisioningState"] = "Pending";
        properties["osType"] ??= "Linux";
        properties["restartPolicy"] ??= "Always";
        properties["sku"] ??= "Standard";
        if (properties["ipAddress"] is JsonObject ip && ip["type"]?.GetValue<string>().Equals("Public", StringComparison.OrdinalIgnoreCase) == true)
        {
            ip["ip"] = "20.0.0." + (Math.Abs(name.GetHashCode(StringComparison.Ordinal)) % 250 + 1).ToString(CultureInfo.InvariantCulture);
            if (ip["dnsNameLabel"] is JsonValue label)
            {
                ip["fqdn"] = $"{label.GetValue<string>()}.{location}.azurecontainer.io";
            }
        }

        doc["properties"] = properties;
        var state = new ContainerGroupState();
        foreach (var c in (JsonArray)properties["containers"]!)
        {
            state.Containers[c!["name"]!.GetValue<string>()] = new ContainerRunState();
        }

        var (resource, created) = Save(request, doc, state);
        var operation = StartProvisioning(resource, request, "PUT");
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
        SetProvisioningState(resource, "Deleting");
        return AcceptDelete(request, resource, "Microsoft.ContainerInstance", DeleteKind);
    }

    public override ArmResponse Action(ArmRequest request, string action)
    {
        if (request.Method != "POST")
        {
            throw MethodNotAllowed(request);
        }

        var resource = Find(request) ?? throw NotFound(request);
        var state = (ContainerGroupState)resource.State!;
        switch (action.ToLowerInvariant())
        {
            case "stop":
                Context.Operations.CancelFor(resource.Id);
                state.State = "Stopped";
                foreach (var c in state.Containers.Values)
                {
                    c.State = "Terminated";
                    c.DetailStatus = "Stopped";
                    c.FinishTime = Context.Time.GetUtcNow();
                    c.Events.Add(Event("Killing", "Stopping container", "Normal"));
                }

                resource.Touch();

                RaiseResourceEvent("ResourceActionSuccess", resource.Id, Type + "/stop/action", request.CorrelationId);
                return ArmResponse.NoContent();
            case "start":
                // ContainerGroups_Start: 202 while the group starts, 204 when it is already running or starting.
                if (state.State is "Running" or "Pending")
                {
                    return ArmResponse.NoContent();
                }

                var start = StartProvisioning(resource, request, "POST");
                return OperationTracker.WithAsyncHeaders(new ArmResponse(HttpStatusCode.Accepted), start, Context.BaseUri, request.ApiVersion, Context.Options.AsyncRetryAfterSeconds);
            case "restart":
                // ContainerGroups_Restart is long-running but its only success response is 204: an SDK poller refuses a
                // 202. The 204 carries the operation headers, which a poller follows until the containers run again.
                foreach (var c in state.Containers.Values)
                {
                    c.RestartCount++;
                }

                resource.Touch();

                var restart = StartProvisioning(resource, request, "POST");
                return OperationTracker.WithAsyncHeaders(ArmResponse.NoContent(), restart, Context.BaseUri, request.ApiVersion, Context.Options.AsyncRetryAfterSeconds);
            default:
                throw MethodNotAllowed(request);
        }
    }

    protected override JsonNode RenderForRead(StoredResource resource) => Render(resource);

    public override JsonObject Render(StoredResource resource)
    {
        var doc = (JsonObject)resource.Document.DeepClone();
        HideSecrets(doc);
        if (resource.State is not ContainerGroupState state)
        {
            return doc;
        }

        var properties = (JsonObject)doc["properties"]!;
        properties["instanceView"] = new JsonObject { ["state"] = state.State, ["events"] = new JsonArray() };
        foreach (var container in (JsonArray)properties["containers"]!)
        {
            var name = container!["name"]!.GetValue<string>();
            if (!state.Containers.TryGetValue(name, out var run))
            {
                continue;
            }

            var current = new JsonObject { ["state"] = run.State, ["detailStatus"] = run.DetailStatus };
            if (run.StartTime is { } start)
            {
                current["startTime"] = ArmJson.Time(start);
            }

            if (run.FinishTime is { } finish && run.State == "Terminated")
            {
                current["finishTime"] = ArmJson.Time(finish);
            }

            if (run.State == "Terminated" && run.DetailStatus == CompletedDetail)
            {
                current["exitCode"] = 0;
            }

            container["properties"]!["instanceView"] = new JsonObject
            {
                ["restartCount"] = run.RestartCount,
                ["currentState"] = current,
                ["events"] = new JsonArray(run.Events.Select(e => (JsonNode)e.DeepClone()).ToArray()),
            };
        }

        return doc;
    }

    /// <summary>
    /// As ACI answers every read (GET, list, the PUT's own response): a secure environment variable shows its name only,
    /// and a registry credential its server and username but no password. The stored document keeps them for pulls.
    /// </summary>
    private static void HideSecrets(JsonObject doc)
    {
        if (doc["properties"] is not JsonObject properties)
        {
            return;
        }

        var containers = (properties["containers"] as JsonArray ?? []).Concat(properties["initContainers"] as JsonArray ?? []);
        foreach (var variable in containers.SelectMany(c => c?["properties"]?["environmentVariables"] as JsonArray ?? []).OfType<JsonObject>())
        {
            variable.Remove("secureValue");
        }

        foreach (var credential in (properties["imageRegistryCredentials"] as JsonArray ?? []).OfType<JsonObject>())
        {
            credential.Remove("password");
        }
    }

    private ArmOperation StartProvisioning(StoredResource resource, ArmRequest request, string method)
    {
        var state = (ContainerGroupState)resource.State!;
        state.State = "Pending";
        SetProvisioningState(resource, method == "PUT" ? "Pending" : resource.ProvisioningState ?? "Succeeded");
        var fail = Context.Faults.IsForcedToFail(resource.Id, resource.Name);
        return Context.Operations.Start(
            resource.SubscriptionId,
            "Microsoft.ContainerInstance",
            resource.Location!,
            resource.Id,
            method,
            Context.Faults.Current.ProvisioningDuration,
            ProvisionKind,
            new JsonObject { ["generation"] = state.Generation, ["fail"] = fail, ["correlationId"] = request.CorrelationId });
    }

    /// <summary>The end of a create, start or restart: the run state it was started on pulls and starts its containers.</summary>
    private ArmError? CompleteProvisioning(ArmOperation operation)
    {
        var r = Context.Store.Find(operation.ResourceId);
        if (r?.State is not ContainerGroupState state || state.Generation != operation.Arg("generation"))
        {
            return new ArmError("ResourceNotFound", "The container group was deleted or replaced.");
        }

        ArmError? error;
        if (operation.Flag("fail"))
        {
            // As ACI reports a group that cannot start: the reason is an event, typed Normal, under properties.events of the
            // operation status (FailedMount, as in the REST spec's ContainerGroupsGet_Failed example), not in 'error'.
            operation.Args["events"] = new JsonArray(Event("FailedMount", $"The resource '{r.Name}' is configured to fail (emulator fault 'FailingResources'): a volume could not be mounted.", "Normal"));
            error = new ArmError("Failed", "The container group failed to provision.");
        }
        else
        {
            error = RunContainers(r, state);
            if (error is not null)
            {
                operation.Args["events"] = new JsonArray(state.Containers.Values.SelectMany(c => c.Events)
                    .Where(e => (string?)e["type"] == "Warning").Select(e => (JsonNode)e.DeepClone()).ToArray());
            }
        }

        SetProvisioningState(r, error is null ? "Succeeded" : "Failed");
        RaiseResourceEvent(error is null ? "ResourceWriteSuccess" : "ResourceWriteFailure", r.Id, operation.Method == "PUT" ? Type + "/write" : Type + "/restart/action", operation.Arg("correlationId") ?? string.Empty);
        if (error is not null)
        {
            state.State = "Failed";
        }

        r.Touch();
        return error;
    }

    /// <summary>Pulls each container's image now; starts them all or records pull failures.</summary>
    private ArmError? RunContainers(StoredResource resource, ContainerGroupState state)
    {
        var properties = resource.Document["properties"]!;
        var identity = resource.Document["identity"] as JsonObject;
        var credentials = ResolveCredentials(resource.Name, (JsonObject)properties, identity);
        var now = Context.Time.GetUtcNow();
        string? failedImage = null;
        foreach (var container in (JsonArray)properties["containers"]!)
        {
            var name = container!["name"]!.GetValue<string>();
            var image = container["properties"]!["image"]?.GetValue<string>() ?? string.Empty;
            var run = state.Containers[name];
            var reference = ImageReference.Parse(image);
            run.Events.Add(Event("Pulling", $"pulling image \"{image}\"", "Normal"));
            var result = _pulls.Check(reference, CredentialFor(reference, credentials) ?? PullCredential.Anonymous, PullClient.ContainerInstances);
            if (result.Succeeded)
            {
                run.Events.Add(Event("Pulled", $"Successfully pulled image \"{image}\"", "Normal"));
                run.Events.Add(Event("Started", "Started container", "Normal"));
                run.State = "Running";
                run.DetailStatus = string.Empty;
                run.StartTime = now;
            }
            else
            {
                run.Events.Add(Event("Failed", $"Failed to pull image \"{image}\": {result.Message}", "Warning"));
                run.Events.Add(Event("Failed", "Error: ErrImagePull", "Warning"));
                run.Events.Add(Event("BackOff", $"Back-off pulling image \"{image}\"", "Normal"));
                run.State = "Waiting";
                run.DetailStatus = "ImagePullBackOff";
                failedImage ??= image;
            }
        }

        if (failedImage is not null)
        {
            return new ArmError("InaccessibleImage", InaccessibleMessage(failedImage, resource.Name));
        }

        // A group that is not restarted (a job) runs its containers to their end: ACI then reports the group Succeeded
        // and every container Terminated with exit code 0 (the emulated commands always succeed).
        var restartPolicy = properties["restartPolicy"]?.GetValue<string>() ?? "Always";
        if (!restartPolicy.Equals("Always", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var run in state.Containers.Values)
            {
                run.State = "Terminated";
                run.DetailStatus = CompletedDetail;
                run.FinishTime = now;
            }

            state.State = "Succeeded";
            return null;
        }

        state.State = "Running";
        return null;
    }

    /// <summary>What of a PUT over an existing group ACI cannot apply in place, or null when the update is allowed.</summary>
    private static string? UpdateRestriction(JsonNode? current, JsonNode? requested)
    {
        static string Text(JsonNode? node, string fallback) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : fallback;
        static string Network(JsonNode? properties) =>
            Text(properties?["ipAddress"]?["type"], "None") + "|" + string.Join(",", (properties?["subnetIds"] as JsonArray ?? []).Select(s => Text(s?["id"], string.Empty).ToUpperInvariant()).Order(StringComparer.Ordinal));
        static Dictionary<string, string> Resources(JsonNode? properties) =>
            (properties?["containers"] as JsonArray ?? []).Where(c => c?["name"] is not null).ToDictionary(
                c => Text(c!["name"], string.Empty),
                c => c!["properties"]?["resources"]?["requests"] is JsonObject requests
                    ? $"{Number(requests["cpu"])}/{Number(requests["memoryInGB"])}/{requests["gpu"]?.ToJsonString()}"
                    : string.Empty);
        static string Number(JsonNode? node) =>
            node is JsonValue value && value.TryGetValue<double>(out var number) ? number.ToString(CultureInfo.InvariantCulture) : node?.ToJsonString() ?? string.Empty;

        if (!Text(current?["osType"], "Linux").Equals(Text(requested?["osType"], "Linux"), StringComparison.OrdinalIgnoreCase))
        {
            return "osType";
        }

        if (!Text(current?["restartPolicy"], "Always").Equals(Text(requested?["restartPolicy"], "Always"), StringComparison.OrdinalIgnoreCase))
        {
            return "restartPolicy";
        }

        if (!Network(current).Equals(Network(requested), StringComparison.OrdinalIgnoreCase))
        {
            return "network profile";
        }

        var before = Resources(current);
        foreach (var (container, resources) in Resources(requested))
        {
            if (before.TryGetValue(container, out var was) && was != resources)
            {
                return $"resources of container '{container}'";
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
            SystemAssignedPrincipal.Assign(Context, result, existing, "system-assigned");
        }

        if (requested["userAssignedIdentities"] is JsonObject map && map.Count > 0)
        {
            result["userAssignedIdentities"] = UserAssignedIdentityReferences.Resolve(Context, map, UserAssignedIdentityReferences.NotFoundWithResponse);
        }

        return result;
    }

    /// <summary>Checks <c>imageRegistryCredentials</c> and maps each server to a pull credential.</summary>
    private static Dictionary<string, PullCredential> ResolveCredentials(string groupName, JsonObject properties, JsonObject? identity)
    {
        var map = new Dictionary<string, PullCredential>(StringComparer.OrdinalIgnoreCase);
        if (properties["imageRegistryCredentials"] is not JsonArray credentials)
        {
            return map;
        }

        foreach (var credential in credentials)
        {
            var server = credential!["server"]!.GetValue<string>();
            var identityId = credential["identity"]?.GetValue<string>();
            var username = credential["username"]?.GetValue<string>();
            if (string.IsNullOrEmpty(identityId) == string.IsNullOrEmpty(username))
            {
                throw new ArmException(
                    HttpStatusCode.BadRequest,
                    "InvalidImageRegistryCredentialType",
                    $"The registry credential type in the 'imageRegistryCredentials' of container group '{groupName}' cannot be detected. Please set exactly one of username or identity");
            }

            if (username is not null)
            {
                map[server] = new PullCredential(null, username, credential["password"]?.GetValue<string>());
                continue;
            }

            var attached = identity?["userAssignedIdentities"] is JsonObject uais
                ? uais.FirstOrDefault(kv => kv.Key.Equals(identityId, StringComparison.OrdinalIgnoreCase))
                : default;
            if (attached.Value is null)
            {
                throw new ArmException(
                    HttpStatusCode.BadRequest,
                    "InvalidImageRegistryIdentity",
                    $"The identity in the 'imageRegistryCredentials' of container group '{groupName}' not found in container group identity list.");
            }

            map[server] = new PullCredential(attached.Value["principalId"]!.GetValue<string>());
        }

        return map;
    }

    private static PullCredential? CredentialFor(ImageReference image, Dictionary<string, PullCredential> credentials) =>
        credentials.TryGetValue(image.Server, out var c) ? c : null;

    private static ArmException InaccessibleImage(string image, string group) =>
        new(HttpStatusCode.BadRequest, "InaccessibleImage", InaccessibleMessage(image, group));

    private static string InaccessibleMessage(string image, string group) =>
        $"The image '{image}' in container group '{group}' is not accessible. Please check the image and registry credential.";

    private JsonObject Event(string name, string message, string type)
    {
        var now = ArmJson.Time(Context.Time.GetUtcNow());
        return new JsonObject { ["count"] = 1, ["firstTimestamp"] = now, ["lastTimestamp"] = now, ["name"] = name, ["message"] = message, ["type"] = type };
    }

    private static void SetProvisioningState(StoredResource resource, string state)
    {
        var doc = (JsonObject)resource.Document.DeepClone();
        doc["properties"]!["provisioningState"] = state;
        resource.Document = doc;
    }
}
