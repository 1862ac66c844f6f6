using System.Net;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Arm;

namespace Provisioning.ArmEmulator.KeyVault;

/// <summary>
/// <c>PUT …/vaults/{v}/accessPolicies/{add|replace|remove}</c>: merges, replaces or removes permissions per
/// (tenantId, objectId); an entry left without permissions is dropped; more than 1024 entries is refused (400). Answers 200
/// with the resulting policies.
/// </summary>
internal sealed class AccessPolicyHandler(EmulatorContext context) : ResourceTypeHandler(context)
{
    /// <summary>The most access-policy entries a vault holds.</summary>
    public const int MaxAccessPolicies = 1024;

    private static readonly string[] PermissionKinds = ["keys", "secrets", "certificates", "storage"];

    public override string ResourceType => "Microsoft.KeyVault/vaults/accessPolicies";


    public override ArmResponse Put(ArmRequest request)
    {
        var kind = request.Path.Name.ToLowerInvariant();
        if (kind is not ("add" or "replace" or "remove"))
        {
            throw new ArmException(HttpStatusCode.BadRequest, "InvalidRequestContent", $"The access policy update kind '{request.Path.Name}' is not valid. Allowed values: 'add', 'replace', 'remove'.");
        }

        request.RequireObjectBody();
        ValidateBody(request);
        var vaultId = request.Path.ItemId[..request.Path.ItemId.LastIndexOf("/accessPolicies/", StringComparison.OrdinalIgnoreCase)];
        var vault = Context.Store.Find(vaultId)
            ?? throw new ArmException(HttpStatusCode.NotFound, "ResourceNotFound", $"The Resource 'Microsoft.KeyVault/vaults/{request.Path.Names[0]}' under resource group '{request.Path.ResourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix");
        var current = ((JsonArray?)vault.Document["properties"]!["accessPolicies"] ?? []).OfType<JsonObject>().Select(p => (JsonObject)p.DeepClone()).ToList();
        foreach (var change in ((JsonArray)request.Body!["properties"]!["accessPolicies"]!).OfType<JsonObject>())
        {
            var objectId = change["objectId"]!.GetValue<string>();
            var tenantId = change["tenantId"]!.GetValue<string>();
            var entry = current.FirstOrDefault(p => Same(p, tenantId, objectId));
            if (kind == "replace" || entry is null)
            {
                if (kind == "remove")
                {
                    continue;
                }

                if (entry is not null)
                {
                    current.Remove(entry);
                }

                current.Add((JsonObject)change.DeepClone());
                continue;
            }

            foreach (var permission in PermissionKinds)
            {
                var existing = (entry["permissions"]?[permission] as JsonArray)?.Select(v => v!.GetValue<string>()).ToList() ?? [];
                var delta = (change["permissions"]?[permission] as JsonArray)?.Select(v => v!.GetValue<string>()).ToList() ?? [];
                var result = kind == "add"
                    ? existing.Union(delta, StringComparer.OrdinalIgnoreCase).ToList()
                    : existing.Where(e => !delta.Contains(e, StringComparer.OrdinalIgnoreCase)).ToList();
                entry["permissions"] ??= new JsonObject();
                entry["permissions"]![permission] = new JsonArray(result.Select(r => (JsonNode)r).ToArray());
            }

            if (kind == "remove" && PermissionKinds.All(k => (entry["permissions"]?[k] as JsonArray)?.Count is null or 0))
            {
                current.Remove(entry);
            }
        }

        if (current.Count > MaxAccessPolicies)
        {
            // Key Vault's documented limit (MaxVaultAccessPolicies): refused as a whole, nothing changed.
            throw new ArmException(HttpStatusCode.BadRequest, "BadRequest", $"The vault '{request.Path.Names[0]}' would have {current.Count} access policies; a vault allows at most {MaxAccessPolicies}. Remove unused access policies, or switch the vault to RBAC (enableRbacAuthorization).");
        }

        var doc = (JsonObject)vault.Document.DeepClone();
        doc["properties"]!["accessPolicies"] = new JsonArray(current.Select(p => (JsonNode)p).ToArray());
        vault.Document = doc;
        vault.ChangedAt = Context.Time.GetUtcNow();
        RaiseResourceEvent("ResourceWriteSuccess", vault.Id, "Microsoft.KeyVault/vaults/accessPolicies/write", request.CorrelationId);
        return ArmResponse.Ok(new JsonObject
        {
            ["id"] = request.Path.ItemId,
            ["name"] = kind,
            ["type"] = ResourceType,
            ["location"] = vault.Location,
            ["properties"] = new JsonObject { ["accessPolicies"] = doc["properties"]!["accessPolicies"]!.DeepClone() },
        });
    }

    public override ArmResponse Get(ArmRequest request) => throw MethodNotAllowed(request);

    private static bool Same(JsonObject policy, string tenantId, string objectId) =>
        string.Equals(policy["tenantId"]?.GetValue<string>(), tenantId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(policy["objectId"]?.GetValue<string>(), objectId, StringComparison.OrdinalIgnoreCase);
}
