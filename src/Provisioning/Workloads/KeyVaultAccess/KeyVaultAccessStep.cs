using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Authorization;
using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>
/// Gives a workload's identities the secret access its template's <c>keyVault</c> names, the way the vault's mode needs:
/// in RBAC mode, the Key Vault Secrets User role at the vault (a normal grant, in the run's ledger); in access-policy
/// mode, an <c>accessPolicies/add</c> of the permissions each principal lacked. A user-assigned identity exists before
/// the deploy and is given access first; a system-assigned one (<c>SystemAssigned</c> or <c>SystemAssigned, UserAssigned</c>)
/// exists only once the resource does, so it is given access after the deploy, from the resource's <c>identity.principalId</c>
/// (<see cref="SystemIdentityAfterDeploy"/>). When it is the workload's only identity (<c>identity: { type: SystemAssigned }</c>),
/// the template's grants go to it too, after its vault access. Compensation removes exactly what was added: role assignments through the ledger, access-policy permissions here
/// (<c>accessPolicies/remove</c>) when anything after the add fails — never the vault, never permissions a principal had before.
/// </summary>
internal static class KeyVaultAccessStep
{
    private static readonly string[] SecretsUserPermissions = ["get", "list"];

    /// <summary>The activities these steps call.</summary>
    public static IReadOnlyList<Type> Activities { get; } =
        [typeof(ReadKeyVault), typeof(AddKeyVaultAccessPolicy), typeof(RemoveKeyVaultAccessPolicy), typeof(ReadSystemPrincipal)];

    /// <summary>Whether the resource body asks for a system-assigned identity (<c>SystemAssigned</c>, alone or with <c>UserAssigned</c>).</summary>
    public static bool HasSystemIdentity(JsonObject body) =>
        body["identity"]?["type"] is JsonValue type && type.TryGetValue<string>(out var text)
        && text.Contains("SystemAssigned", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the vault, gives the user-assigned principal (if any) access, deploys, then gives the resource's system-assigned
    /// principal (if it has one) access — and then, for a workload whose only identity is its own, the template's grants.
    /// </summary>
    public static async Task<WorkloadReady> WithAccessAsync(ProvisioningRun run, ResolvedWorkload workload, WorkloadIdentity identity, Func<Task<WorkloadReady>> deploy)
    {
        var spec = workload.KeyVault ?? throw new ArgumentException("The workload names no key vault.", nameof(workload));
        var systemIdentity = identity.SystemAssigned || HasSystemIdentity(workload.Body);
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

        if (vault.RbacMode && spec.SecretPermissions.Except(SecretsUserPermissions, StringComparer.OrdinalIgnoreCase).ToList() is { Count: > 0 } beyond)
        {
            throw new ProvisioningFailedException(
                $"The key vault '{vaultName}' uses RBAC (enableRbacAuthorization), where the Key Vault Secrets User role gives get and list only, but the template asks for {string.Join(", ", beyond)}. Remove them from 'workload.keyVault.secrets', or grant a role that allows them (e.g. Key Vault Secrets Officer) in 'grants'.");
        }

        var access = new Access(run, spec, vault);
        try
        {
            WorkloadReady ready;
            var granted = string.Empty;
            if (identity.PrincipalId is { } user)
            {
                await access.GiveAsync(user, systemIdentity ? "user-assigned identity" : "identity");
            }

            if (!systemIdentity)
            {
                ready = await deploy();
            }
            else
            {
                (ready, var system) = await SystemIdentityAfterDeploy.DeployAsync(run, workload, deploy, $"access to '{vaultName}'");
                await access.GiveAsync(system, "system-assigned identity", afterDeploy: true);
                if (identity.SystemAssigned)
                {
                    // Its only identity: the template's own grants go to it too, once it exists (as for any system-assigned
                    // kind). After the vault access, so a grant that fails is a failure after the access-policy add,
                    // which the catch below removes.
                    await run.GrantAsync(system, identity.Grants, systemAssigned: true);
                    granted = SystemIdentityAfterDeploy.Granted(identity.Grants);
                }

                ready = ready with { PrincipalId = identity.PrincipalId is null ? system : ready.PrincipalId };
            }

            var described = access.Describe(ready);
            return described with { Message = described.Message + granted };
        }
        catch (Exception)
        {
            // Not in the run's ledger (which deletes resource ids): access-policy permissions are taken out with
            // accessPolicies/remove, here, before the run compensates the rest. Not cancel-aware on purpose: a cancelled
            // run must still undo them.
            await access.RemoveAddedAsync();
            throw;
        }
    }

    /// <summary>What the run gave, to whom, for the status, the outputs and compensation.</summary>
    private sealed class Access(ProvisioningRun run, KeyVaultAccessSpec spec, KeyVaultState vault)
    {
        private readonly List<AccessPolicyChange> _added = [];
        private readonly List<string> _principals = [];
        private readonly List<string> _sentences = [];

        public async Task GiveAsync(string principalId, string who, bool afterDeploy = false)
        {
            var vaultName = spec.VaultId.Name;
            var permissions = string.Join(", ", spec.SecretPermissions);
            var why = afterDeploy ? ", given after the deploy: that identity exists only once the resource does" : string.Empty;
            var softDelete = vault.SoftDelete == false ? " Soft delete is off on this vault: a deleted secret cannot be recovered." : string.Empty;
            run.Enter(ProvisioningPhase.GrantingRoles);
            _principals.Add(principalId);
            if (vault.RbacMode)
            {
                run.SetStatus(0, message: $"The key vault '{vaultName}' uses RBAC: granting Key Vault Secrets User at the vault to the {who}.{softDelete}");

                // Reported with the workload's own grants (the flag puts the assignment in the run's result); the ledger records it as any grant.
                await run.GrantAsync(principalId, [new ResolvedGrant(BuiltInRoles.KeyVaultSecretsUser, "Key Vault Secrets User", spec.VaultId)], systemAssigned: true);
                _sentences.Add($"Its {who} reads secrets from '{vaultName}' with Key Vault Secrets User (RBAC mode){why}.");
                return;
            }

            var added = await run.StepAsync<AccessPolicyChange>(
                nameof(AddKeyVaultAccessPolicy),
                new AccessPolicyChange(spec.VaultId, vault.TenantId!, principalId, spec.SecretPermissions),
                run.TransientPolicy);
            if (added.SecretPermissions.Count > 0)
            {
                _added.Add(added);
            }

            run.SetStatus(0, message: added.SecretPermissions.Count > 0
                ? $"Added secret permissions {string.Join(", ", added.SecretPermissions)} to the access policy of '{vaultName}' for principal {principalId} ({who}).{softDelete}"
                : $"The access policy of '{vaultName}' already gives principal {principalId} ({who}) {permissions}: nothing added.{softDelete}");
            _sentences.Add(added.SecretPermissions.Count > 0
                ? $"Its {who} has secrets {permissions} in the access policy of '{vaultName}' (added: {string.Join(", ", added.SecretPermissions)}){why}."
                : $"Its {who} already had secrets {permissions} in the access policy of '{vaultName}'.");
        }

        /// <summary>Removes, newest first, every permission this run added; a failure is logged, never hides the run's own.</summary>
        public async Task RemoveAddedAsync()
        {
            var timings = run.Timings;
            for (var index = _added.Count - 1; index >= 0; index--)
            {
                var added = _added[index];
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
        }

        public WorkloadReady Describe(WorkloadReady ready)
        {
            var outputs = (JsonObject)ready.Outputs.DeepClone();
            outputs["keyVault"] = new JsonObject
            {
                ["id"] = spec.VaultId.ToString(),
                ["mode"] = vault.RbacMode ? "rbac" : "accessPolicy",
                ["secrets"] = new JsonArray(spec.SecretPermissions.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),

                // Every principal the run gave access to (drift reads it to tell an access policy removed since).
                ["principalIds"] = new JsonArray(_principals.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            };
            return ready with { Message = $"{ready.Message} {string.Join(" ", _sentences)}", Outputs = outputs };
        }
    }
}
