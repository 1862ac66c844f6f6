using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.ManagedIdentity;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.Compute;

/// <summary>
/// <c>Microsoft.Compute/virtualMachines</c>, as much as a grant-only run needs: a PUT validated against the schema that
/// keeps the body and resolves <c>identity</c> as Azure does (a system-assigned principal registered in the directory,
/// kept across updates; each user-assigned identity's principal and client id, refused when it does not exist); GET;
/// DELETE. Azure's PUT is long-running; here it completes at once (nothing in the product waits on a VM).
/// </summary>
internal sealed class VirtualMachineHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    public const string Type = "Microsoft.Compute/virtualMachines";

    public override string ResourceType => Type;

    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        ValidateBody(request);
        RequireResourceGroup(request);
        var location = RequireLocation(body);
        ThrowIfForcedToFail(request);
        var existing = Find(request);
        var doc = Envelope(request, location, body);
        if (ResolveIdentity(body["identity"] as JsonObject, existing) is { } identity)
        {
            doc["identity"] = identity;
        }

        var properties = body["properties"] is JsonObject supplied ? (JsonObject)supplied.DeepClone() : new JsonObject();
        properties["vmId"] = existing?.Document["properties"]?["vmId"]?.DeepClone() ?? Guid.NewGuid().ToString();
        properties["provisioningState"] = "Succeeded";
        doc["properties"] = properties;
        var (resource, created) = Save(request, doc);
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, Type + "/write", request.CorrelationId);
        return created ? ArmResponse.Created(Render(resource)) : ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Delete(ArmRequest request) => DeleteNow(request);

    /// <summary>
    /// The identity as Azure stores it. A system-assigned principal is created with the first PUT that asks for it and
    /// kept while later PUTs still ask for it; turning it off drops it (a new one would be a new principal).
    /// </summary>
    private JsonObject? ResolveIdentity(JsonObject? requested, StoredResource? existing)
    {
        if (requested is null)
        {
            return existing?.Document["identity"]?.DeepClone() as JsonObject;
        }

        var type = requested["type"]?.GetValue<string>() ?? "None";
        var result = new JsonObject { ["type"] = type };
        if (type.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase))
        {
            SystemAssignedPrincipal.Assign(Context, result, existing, "system-assigned");
        }

        if (requested["userAssignedIdentities"] is JsonObject map && map.Count > 0)
        {
            if (!type.Contains("UserAssigned", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArmException(HttpStatusCode.BadRequest, "InvalidParameter", $"The identity type '{type}' does not allow userAssignedIdentities; use 'UserAssigned' or 'SystemAssigned, UserAssigned'.");
            }

            result["userAssignedIdentities"] = UserAssignedIdentityReferences.Resolve(Context, map, UserAssignedIdentityReferences.NotFoundWithResponse);
        }
        else if (type.Contains("UserAssigned", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "InvalidParameter", "The identity type 'UserAssigned' requires at least one entry in userAssignedIdentities.");
        }

        return result;
    }
}
