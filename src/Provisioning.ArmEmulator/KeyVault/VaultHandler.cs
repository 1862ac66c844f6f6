using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator.KeyVault;

/// <summary>
/// <c>Microsoft.KeyVault/vaults</c>: synchronous PUT (201/200) with <c>vaultUri</c>, access policies or RBAC mode
/// (<c>enableRbacAuthorization</c>); PATCH; DELETE 200, or 204 when absent. Vault names are global.
/// </summary>
internal sealed class VaultHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    public const string Type = "Microsoft.KeyVault/vaults";

    public override string ResourceType => Type;


    public override ArmResponse Put(ArmRequest request)
    {
        var body = request.RequireObjectBody();
        NameRules.KeyVault.Check(ResourceType, request.Path.Name);
        ValidateBody(request);
        RequireResourceGroup(request);
        var location = RequireLocation(body);
        var existing = Find(request);
        if (existing is null && Context.Store.OfType(Type).Any(v => v.Name.Equals(request.Path.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArmException(HttpStatusCode.Conflict, "VaultAlreadyExists", $"The vault name '{request.Path.Name}' is already in use. Vault names are globally unique so it is possible that the name is already taken.");
        }

        ThrowIfForcedToFail(request);
        var doc = Envelope(request, location, body);
        var properties = (JsonObject)body["properties"]!.DeepClone();
        properties.Remove("createMode");
        properties["vaultUri"] = $"https://{request.Path.Name.ToLowerInvariant()}.vault.azure.net/";
        properties["accessPolicies"] ??= new JsonArray();
        properties["enableRbacAuthorization"] ??= false;
        properties["enableSoftDelete"] ??= true;
        properties["softDeleteRetentionInDays"] ??= 90;
        properties["provisioningState"] = "Succeeded";
        properties["publicNetworkAccess"] ??= "Enabled";
        doc["properties"] = properties;
        var (resource, created) = Save(request, doc);
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, Type + "/write", request.CorrelationId);
        return created ? ArmResponse.Created(Render(resource)) : ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Patch(ArmRequest request)
    {
        var resource = Find(request) ?? throw NotFound(request);
        var body = request.RequireObjectBody();
        var violations = Context.Validator.Validate(ResourceType, request.ApiVersion, body, patch: true);
        if (violations.Count > 0)
        {
            throw new ArmException(HttpStatusCode.BadRequest, new ArmError("InvalidRequestContent", $"The request content was invalid and could not be deserialized: '{violations[0].Message} Path '{violations[0].Path}'.'.", violations[0].Path));
        }

        var doc = (JsonObject)resource.Document.DeepClone();
        if (body["tags"] is JsonObject tags)
        {
            doc["tags"] = tags.DeepClone();
        }

        if (body["properties"] is JsonObject supplied)
        {
            foreach (var (key, value) in supplied)
            {
                if (key is not ("vaultUri" or "provisioningState" or "createMode"))
                {
                    doc["properties"]![key] = value?.DeepClone();
                }
            }
        }

        resource.Document = doc;
        resource.ChangedAt = Context.Time.GetUtcNow();
        RaiseResourceEvent("ResourceWriteSuccess", resource.Id, Type + "/write", request.CorrelationId);
        return ArmResponse.Ok(Render(resource));
    }

    public override ArmResponse Delete(ArmRequest request) => DeleteNow(request);
}
