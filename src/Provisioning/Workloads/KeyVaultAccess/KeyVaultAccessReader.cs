using System.Text.Json.Nodes;
using Provisioning.Arm.KeyVault;
using Provisioning.Arm.Resources;
using Provisioning.Templates.Validation;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>
/// Reads a workload's optional <c>keyVault: { id, secrets }</c>: the vault (a resource id, usually an expression) and
/// the secret permissions its identity needs (default <c>[get, list]</c>). It is not part of the resource ARM receives:
/// <see cref="Split"/> takes it out of the workload before the kind's own reader sees it.
/// </summary>
internal static class KeyVaultAccessReader
{
    /// <summary>The workload field.</summary>
    public const string Field = "keyVault";

    private const string Path = "workload." + Field;

    /// <summary>The workload without <c>keyVault</c> (the same object when it has none), and the <c>keyVault</c> node.</summary>
    public static (JsonObject Workload, JsonNode? KeyVault) Split(JsonObject workload)
    {
        if (!workload.ContainsKey(Field))
        {
            return (workload, null);
        }

        var rest = new JsonObject(workload.Where(p => p.Key != Field).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        return (rest, workload[Field]);
    }

    /// <summary>Checks the section, recording each problem with its fix; returns the spec once evaluated (bind time), else null.</summary>
    public static KeyVaultAccessSpec? Read(JsonNode? node, TemplateErrorList errors)
    {
        var obj = errors.Object(node, Path, required: true, "{ id: \"[parameters('vaultId')]\", secrets: [get, list] }");
        if (obj is null)
        {
            return null;
        }

        errors.OnlyKnownKeys(obj, Path, "id", "secrets");
        var id = errors.String(obj["id"], Path + ".id", required: true, "\"[parameters('vaultId')]\"");
        ArmResourceId? vaultId = null;
        if (id is not null && !errors.IsDeferred(obj["id"]))
        {
            if (!ArmResourceId.TryParse(id, out vaultId, out var problem))
            {
                errors.Add(Path + ".id", $"'{id}' is not a resource id: {problem}", "write the vault's full id, /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}");
            }
            else if (!vaultId.ResourceType.Equals(KeyVaultClient.ResourceType, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(Path + ".id", $"'{id}' is a {vaultId.ResourceType}, not a key vault", "write the id of a Microsoft.KeyVault/vaults");
                vaultId = null;
            }
        }

        List<string> permissions = ["get", "list"];
        if (obj["secrets"] is not null && errors.Array(obj["secrets"], Path + ".secrets", required: false, "[get, list]") is { } array)
        {
            permissions = [];
            for (var i = 0; i < array.Count; i++)
            {
                var itemPath = TemplateErrorList.Index(Path + ".secrets", i);
                var permission = errors.String(array[i], itemPath, required: true, "get");
                if (permission is null || errors.IsDeferred(array[i]))
                {
                    continue;
                }

                if (!KeyVaultClient.SecretPermissions.Contains(permission, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add(itemPath, $"'{permission}' is not a Key Vault secret permission", $"use {string.Join(", ", KeyVaultClient.SecretPermissions)}; a workload that reads secrets needs get (and list to enumerate them)");
                    continue;
                }

                permissions.Add(permission.ToLowerInvariant());
            }

            if (array.Count == 0)
            {
                errors.Add(Path + ".secrets", "is empty", "name the secret permissions the workload needs, e.g. [get, list], or leave 'secrets' out for get and list");
            }
        }

        return errors.HasErrors || vaultId is null ? null : new KeyVaultAccessSpec(vaultId, permissions.Distinct().ToList());
    }
}
