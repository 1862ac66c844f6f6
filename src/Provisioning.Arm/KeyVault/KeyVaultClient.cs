using System.Text.Json.Nodes;
using Azure.Core;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.KeyVault;

/// <summary>
/// Microsoft.KeyVault/vaults: get (to read its mode), and the access-policy updates <c>accessPolicies/add</c> and
/// <c>accessPolicies/remove</c>, which merge into or take out of one principal's entry without touching the others
/// (a PUT of the whole vault would race with everyone else's policies). The product never creates or deletes a vault.
/// </summary>
public sealed class KeyVaultClient
{
    /// <summary>The resource type.</summary>
    public const string ResourceType = "Microsoft.KeyVault/vaults";

    /// <summary>Every secret permission Key Vault's access policies accept (the REST spec's <c>SecretPermissions</c> enum).</summary>
    public static IReadOnlyList<string> SecretPermissions { get; } = ["all", "get", "list", "set", "delete", "backup", "restore", "recover", "purge"];

    private readonly ArmPipeline _pipeline;

    internal KeyVaultClient(ArmPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Gets a vault, or null when it does not exist.</summary>
    /// <param name="id">The vault's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<KeyVault?> GetAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        CheckType(id);
        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), ArmApiVersions.KeyVaults, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : Read(response.Body);
    }

    /// <summary>Adds secret permissions to a principal's access-policy entry (<c>accessPolicies/add</c>, merged with what it has); returns the vault's policies after.</summary>
    /// <param name="id">The vault's resource id.</param>
    /// <param name="tenantId">The vault's tenant.</param>
    /// <param name="objectId">The principal's object id.</param>
    /// <param name="secretPermissions">The secret permissions to add.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<IReadOnlyList<KeyVaultAccessPolicy>> AddAccessPolicyAsync(ArmResourceId id, string tenantId, string objectId, IReadOnlyList<string> secretPermissions, CancellationToken cancellationToken) =>
        UpdateAccessPolicyAsync(id, "add", tenantId, objectId, secretPermissions, cancellationToken);

    /// <summary>Removes secret permissions from a principal's entry (<c>accessPolicies/remove</c>; an entry left with none is dropped); returns the policies after.</summary>
    /// <param name="id">The vault's resource id.</param>
    /// <param name="tenantId">The vault's tenant.</param>
    /// <param name="objectId">The principal's object id.</param>
    /// <param name="secretPermissions">The secret permissions to remove.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<IReadOnlyList<KeyVaultAccessPolicy>> RemoveAccessPolicyAsync(ArmResourceId id, string tenantId, string objectId, IReadOnlyList<string> secretPermissions, CancellationToken cancellationToken) =>
        UpdateAccessPolicyAsync(id, "remove", tenantId, objectId, secretPermissions, cancellationToken);

    private async Task<IReadOnlyList<KeyVaultAccessPolicy>> UpdateAccessPolicyAsync(ArmResourceId id, string kind, string tenantId, string objectId, IReadOnlyList<string> secretPermissions, CancellationToken cancellationToken)
    {
        CheckType(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(objectId);
        ArgumentNullException.ThrowIfNull(secretPermissions);
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["accessPolicies"] = new JsonArray(new JsonObject
                {
                    ["tenantId"] = tenantId,
                    ["objectId"] = objectId,
                    ["permissions"] = new JsonObject { ["secrets"] = new JsonArray(secretPermissions.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()) },
                }),
            },
        };
        var response = await _pipeline.SendAsync(RequestMethod.Put, $"{id}/accessPolicies/{kind}", ArmApiVersions.KeyVaults, body, [200, 201], cancellationToken);
        return JsonRead.Objects(response.Body?["properties"]?["accessPolicies"]).Select(ReadPolicy).ToList();
    }

    private static void CheckType(ArmResourceId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.ResourceType.Equals(ResourceType, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{id}' is a {id.ResourceType}, not a {ResourceType}.", nameof(id));
        }
    }

    internal static KeyVault Read(JsonNode? body)
    {
        var id = JsonRead.String(body?["id"]) ?? throw new ArmException(0, new ArmError("InvalidResponse", "The vault response has no 'id'.", null, []), null, null);
        var properties = body?["properties"];
        return new KeyVault(
            ArmResourceId.Parse(id),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.String(properties?["tenantId"]) ?? string.Empty,
            properties?["enableRbacAuthorization"] is JsonValue rbac && rbac.TryGetValue<bool>(out var on) && on,
            properties?["enableSoftDelete"] is JsonValue soft && soft.TryGetValue<bool>(out var softDelete) ? softDelete : null,
            JsonRead.Objects(properties?["accessPolicies"]).Select(ReadPolicy).ToList());
    }

    private static KeyVaultAccessPolicy ReadPolicy(JsonObject policy) => new(
        JsonRead.String(policy["tenantId"]) ?? string.Empty,
        JsonRead.String(policy["objectId"]) ?? string.Empty,
        JsonRead.String(policy["applicationId"]),
        (policy["permissions"]?["secrets"] as JsonArray)?.Select(JsonRead.String).OfType<string>().ToList() ?? []);
}
