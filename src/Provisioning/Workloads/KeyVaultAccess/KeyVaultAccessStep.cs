using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Authorization;
using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>
/// Gives a workload's identity the secret access its template's <c>keyVault</c> names, the way the vault's mode needs,
/// then deploys: in RBAC mode, the Key Vault Secrets User role at the vault (a normal grant, in the run's ledger); in
/// access-policy mode, an <c>accessPolicies/add</c> of the permissions the principal lacked. Compensation removes exactly
/// what was added: the role assignment through the ledger, the access-policy permissions here (<c>accessPolicies/remove</c>)
/// when anything after the add fails — never the vault, never permissions the principal had before.
/// </summary>
internal static class KeyVaultAccessStep
{
    private static readonly string[] SecretsUserPermissions = ["get", "list"];

    /// <summary>The activities these steps call.</summary>
    public static IReadOnlyList<Type> Activities { get; } = [typeof(ReadKeyVault), typeof(AddKeyVaultAccessPolicy), typeof(RemoveKeyVaultAccessPolicy)];

    public static async Task<WorkloadReady> WithAccessAsync(ProvisioningRun run, KeyVaultAccessSpec spec, string principalId, Func<Task<WorkloadReady>> deploy)
    {
        var vaultName = spec.VaultId.Name;
        var permissions = string.Join(", ", spec.SecretPermissions);
        run.Enter(ProvisioningPhase.GrantingRoles);
        run.SetStatus(0, message: $"Reading the key vault '{vaultName}' to grant secret access ({permissions}) the way its mode needs.");
        var vault = await run.StepAsync<KeyVaultState>(nameof(ReadKeyVault), spec.VaultId, run.TransientPolicy);
        if (!vault.Exists || vault.TenantId is null)
        {
            throw new ProvisioningFailedException(
                $"The key vault '{spec.VaultId}' does not exist (or this app cannot read it). Create it, or fix 'workload.keyVault.id'; the run never creates a vault.");
        }

        var softDelete = vault.SoftDelete == false ? " Soft delete is off on this vault: a deleted secret cannot be recovered." : string.Empty;
        if (vault.RbacMode)
        {
            var beyond = spec.SecretPermissions.Except(SecretsUserPermissions, StringComparer.OrdinalIgnoreCase).ToList();
            if (beyond.Count > 0)
            {
                throw new ProvisioningFailedException(
                    $"The key vault '{vaultName}' uses RBAC (enableRbacAuthorization), where the Key Vault Secrets User role gives get and list only, but the template asks for {string.Join(", ", beyond)}. Remove them from 'workload.keyVault.secrets', or grant a role that allows them (e.g. Key Vault Secrets Officer) in 'grants'.");
            }

            run.SetStatus(0, message: $"The key vault '{vaultName}' uses RBAC: granting Key Vault Secrets User at the vault.{softDelete}");

            // Reported with the workload's own grants (the flag puts the assignment in the run's result); the ledger records it as any grant.
            await run.GrantAsync(principalId, [new ResolvedGrant(BuiltInRoles.KeyVaultSecretsUser, "Key Vault Secrets User", spec.VaultId)], systemAssigned: true);
            var rbacReady = await deploy();
            return With(rbacReady, spec, "rbac", [principalId], $"Its identity reads secrets from '{vaultName}' with Key Vault Secrets User (RBAC mode).");
        }

        var added = await run.StepAsync<AccessPolicyChange>(
            nameof(AddKeyVaultAccessPolicy),
            new AccessPolicyChange(spec.VaultId, vault.TenantId, principalId, spec.SecretPermissions),
            run.TransientPolicy);
        run.SetStatus(0, message: added.SecretPermissions.Count > 0
            ? $"Added secret permissions {string.Join(", ", added.SecretPermissions)} to the access policy of '{vaultName}' for principal {principalId}.{softDelete}"
            : $"The access policy of '{vaultName}' already gives principal {principalId} {permissions}: nothing added.{softDelete}");
        WorkloadReady ready;
        try
        {
            ready = await deploy();
        }
        catch (Exception) when (added.SecretPermissions.Count > 0)
        {
            // Not in the run's ledger (which deletes resource ids): an access-policy entry is taken out with accessPolicies/remove,
            // here, before the run compensates the rest. Not cancel-aware on purpose: a cancelled run must still undo it.
            await RemoveAsync(run, added);
            throw;
        }

        return With(ready, spec, "accessPolicy", [principalId], added.SecretPermissions.Count > 0
            ? $"Its identity has secrets {permissions} in the access policy of '{vaultName}' (added: {string.Join(", ", added.SecretPermissions)})."
            : $"Its identity already had secrets {permissions} in the access policy of '{vaultName}'.");
    }

    private static async Task RemoveAsync(ProvisioningRun run, AccessPolicyChange added)
    {
        var timings = run.Timings;
        try
        {
            await run.Context.CallActivityAsync<bool>(
                nameof(RemoveKeyVaultAccessPolicy), added, TaskOptions.FromRetryPolicy(new RetryPolicy(timings.TransientAttempts, timings.TransientFirstInterval, 2.0)));
            run.Logger.LogInformation("Removed secret permissions {Permissions} for {Principal} from the access policy of {Vault}", string.Join(",", added.SecretPermissions), added.ObjectId, added.VaultId);
        }
        catch (TaskFailedException failure)
        {
            run.Logger.LogError(
                "Compensation could not remove secret permissions {Permissions} for {Principal} from the access policy of {Vault}: {Error}",
                string.Join(",", added.SecretPermissions), added.ObjectId, added.VaultId, failure.FailureDetails.ErrorMessage);
        }
    }

    private static WorkloadReady With(WorkloadReady ready, KeyVaultAccessSpec spec, string mode, IReadOnlyList<string> principalIds, string sentence)
    {
        var outputs = (JsonObject)ready.Outputs.DeepClone();
        outputs["keyVault"] = new JsonObject
        {
            ["id"] = spec.VaultId.ToString(),
            ["mode"] = mode,
            ["secrets"] = new JsonArray(spec.SecretPermissions.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),

            // Every principal the run gave access to (drift reads it to tell an access policy removed since).
            ["principalIds"] = new JsonArray(principalIds.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
        };
        return ready with { Message = $"{ready.Message} {sentence}", Outputs = outputs };
    }
}
