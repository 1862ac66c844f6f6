using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.State;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator.ManagedIdentity;

/// <summary>
/// <c>Microsoft.ManagedIdentity/userAssignedIdentities</c>: synchronous PUT (201/200) that registers a service
/// principal in the emulated directory (visible after the replication delay); DELETE 200, or 204 when absent.
/// </summary>
internal sealed class UserAssignedIdentityHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    public const string Type = "Microsoft.ManagedIdentity/userAssignedIdentities";

    public override string ResourceType => Type;


    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        NameRules.UserAssignedIdentity.Check(ResourceType, request.Path.Name);
        ValidateBody(request);
        RequireResourceGroup(request);
        var location = RequireLocation(body);
        ThrowIfForcedToFail(request);
        var existing = Find(request);
        var doc = Envelope(request, location, body);
        JsonObject properties;
        if (existing?.Document["properties"] is JsonObject current)
        {
            properties = (JsonObject)current.DeepClone();
        }
        else
        {
            var principalId = Guid.NewGuid().ToString();
            var clientId = Guid.NewGuid().ToString();
            properties = new JsonObject
            {
                ["tenantId"] = Context.TenantId,
                ["principalId"] = principalId,
                ["clientId"] = clientId,
            };
            Context.Directory.Add(new DirectoryPrincipal(principalId, clientId, "ServicePrincipal", request.Path.Name, Context.Time.GetUtcNow()));
        }

        if (body["properties"]?["isolationScope"] is JsonValue isolation)
        {
            properties["isolationScope"] = isolation.DeepClone();
        }

        doc["properties"] = properties;
        var (resource, created) = Save(request, doc);
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, ResourceType + "/write", request.CorrelationId);
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

        resource.Document = doc;
        resource.ChangedAt = Context.Time.GetUtcNow();
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, ResourceType + "/write", request.CorrelationId);
        return ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Delete(ArmRequest request) => DeleteNow(request);
}
