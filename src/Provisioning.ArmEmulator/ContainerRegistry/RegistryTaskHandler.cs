using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.ManagedIdentity;
using Provisioning.ArmEmulator.State;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>
/// <c>Microsoft.ContainerRegistry/registries/tasks</c>: synchronous PUT (201/200) under an existing registry,
/// with system- and user-assigned identities; PATCH; DELETE 200, or 204 when absent.
/// </summary>
internal sealed class RegistryTaskHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    public const string Type = "Microsoft.ContainerRegistry/registries/tasks";

    public override string ResourceType => Type;


    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        NameRules.RegistryTask.Check(ResourceType, request.Path.Name);
        ValidateBody(request);
        RequireResourceGroup(request);
        RequireRegistry(request);
        var location = RequireLocation(body);
        ThrowIfForcedToFail(request);
        var existing = Find(request);
        var doc = Envelope(request, location, body);
        if (body["identity"] is JsonObject identity)
        {
            doc["identity"] = ResolveIdentity(identity, existing);
        }

        var properties = body["properties"] is JsonObject p ? (JsonObject)p.DeepClone() : [];
        properties["provisioningState"] = "Succeeded";
        properties["creationDate"] = existing?.Document["properties"]?["creationDate"]?.DeepClone() ?? ArmJson.Time(Context.Time.GetUtcNow());
        properties["status"] ??= "Enabled";
        properties["timeout"] ??= 3600;
        doc["properties"] = properties;
        var (resource, created) = Save(request, doc);
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, Type + "/write", request.CorrelationId);
        return created ? ArmResponse.Created(Render(resource)) : ArmResponse.Ok(Render(resource));
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

        if (body["identity"] is JsonObject identity)
        {
            doc["identity"] = ResolveIdentity(identity, resource);
        }

        if (body["properties"] is JsonObject supplied)
        {
            foreach (var (key, value) in supplied)
            {
                doc["properties"]![key] = value?.DeepClone();
            }
        }

        resource.Document = doc;
        resource.ChangedAt = Context.Time.GetUtcNow();
        return ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Delete(ArmRequest request) => DeleteNow(request);

    private StoredResource RequireRegistry(ArmRequest request)
    {
        var id = $"/subscriptions/{request.Path.SubscriptionId}/resourceGroups/{request.Path.ResourceGroup}/providers/Microsoft.ContainerRegistry/registries/{request.Path.Names[0]}";
        return Context.Store.Find(id)
            ?? throw new ArmException(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource 'Microsoft.ContainerRegistry/registries/{request.Path.Names[0]}' under resource group '{request.Path.ResourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
    }

    private JsonObject ResolveIdentity(JsonObject requested, StoredResource? existing)
    {
        var type = requested["type"]?.GetValue<string>() ?? "None";
        var result = new JsonObject { ["type"] = type };
        if (type.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            SystemAssignedPrincipal.Assign(Context, result, existing, "task system identity");
        }

        if (requested["userAssignedIdentities"] is JsonObject map)
        {
            result["userAssignedIdentities"] = UserAssignedIdentityReferences.Resolve(Context, map, UserAssignedIdentityReferences.NotFound);
        }

        return result;
    }
}
