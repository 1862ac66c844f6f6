using System.Text.Json.Nodes;
using Provisioning.Arm;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.KeyVault;
using Provisioning.Arm.Resources;
using static Provisioning.Drift.DriftText;

namespace Provisioning.Drift;

/// <summary>
/// Drift of the secret access a run gave a workload's principal in a key vault (a template's <c>workload.keyVault</c>).
/// Not a kind's <see cref="IWorkloadDrift"/>: any kind may carry the section, it is split off the body ARM receives, and
/// what the run did is in its result (<c>Outputs.keyVault = { id, mode, secrets, principalIds }</c>), not in the
/// workload's resource. So this check asks for the extra collections a workload needs — the vaults of the
/// vault's subscription (their <c>properties.accessPolicies</c> are in the list response, as in
/// <c>Vaults_ListBySubscription</c>), or in RBAC mode that subscription's role assignments — and each is listed once
/// per subscription, whatever the number of workloads.
/// </summary>
internal sealed class KeyVaultAccessDrift : IDriftCheck
{
    /// <summary>The output the Key Vault access step writes.</summary>
    public const string Output = "keyVault";

    /// <summary>The collections the workload's vault access is compared against; none when its run gave no vault access.</summary>
    public IEnumerable<ArmListTarget> ListTargets(DesiredWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (Read(workload) is not { } access)
        {
            yield break;
        }

        yield return access.Rbac
            ? GrantDrift.RoleAssignmentCollection(access.VaultId.SubscriptionId)
            : VaultCollection(access.VaultId.SubscriptionId);
    }

    /// <summary>The differences between the access the run gave and what the listed vaults or role assignments hold.</summary>
    /// <param name="workload">The workload's desired state.</param>
    /// <param name="listed">What the scan listed: vaults among the resources, and role assignments.</param>
    public IReadOnlyList<DriftFinding> Compare(DesiredWorkload workload, ListedResources listed)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(listed);
        if (Read(workload) is not { } access)
        {
            return [];
        }

        var workloadId = workload.WorkloadId;
        var vaultId = access.VaultId.ToString();
        var wanted = string.Join(", ", access.Secrets);
        var findings = new List<DriftFinding>();
        if (access.Rbac)
        {
            // The Key Vault Secrets User assignment the run made at the vault, as any grant: by scope, principal and role.
            foreach (var principal in access.PrincipalIds)
            {
                var role = BuiltInRoles.KeyVaultSecretsUser.ToString("D");
                if (!listed.HasAssignment(vaultId, principal, role))
                {
                    var id = $"{vaultId}/providers/Microsoft.Authorization/roleAssignments/{RoleAssignmentName.For(access.VaultId, principal, role)}";
                    findings.Add(new DriftFinding(workloadId, DriftKind.GrantRemoved, id, null, $"Key Vault Secrets User for principal {principal} at {vaultId}", "no such role assignment"));
                }
            }

            return findings;
        }

        if (!listed.ById.TryGetValue(vaultId, out var vault))
        {
            // The run never creates a vault: its repair fails naming the missing vault, and that failure is reported.
            return [new DriftFinding(workloadId, DriftKind.AccessPolicyRemoved, vaultId, null, $"the vault gives secrets {wanted} to the workload's principal", "the vault is not found")];
        }

        if (vault["properties"]?["enableRbacAuthorization"] is JsonValue rbac && rbac.TryGetValue<bool>(out var isRbac) && isRbac)
        {
            findings.Add(new DriftFinding(
                workloadId, DriftKind.AccessPolicyRemoved, vaultId, "properties.enableRbacAuthorization", "false (access policies)", "true: the vault ignores its access policies"));
            return findings;
        }

        var policies = vault["properties"]?["accessPolicies"] as JsonArray ?? [];
        foreach (var principal in access.PrincipalIds)
        {
            var has = SecretPermissionsOf(policies, principal);
            if (!has.Contains("all") && access.Secrets.Any(secret => !has.Contains(secret)))
            {
                findings.Add(new DriftFinding(
                    workloadId,
                    DriftKind.AccessPolicyRemoved,
                    vaultId,
                    $"properties.accessPolicies[{principal}].permissions.secrets",
                    wanted,
                    has.Count == 0 ? "no access-policy entry" : string.Join(", ", has.Order(StringComparer.Ordinal))));
            }
        }

        return findings;
    }

    /// <summary>The vaults of a subscription, with their access policies.</summary>
    public static ArmListTarget VaultCollection(string subscriptionId) =>
        new($"/subscriptions/{subscriptionId}/providers/{KeyVaultClient.ResourceType}", ArmApiVersions.KeyVaults);

    // The principal's secret permissions over its entries (an application-bound entry is a compound identity, not the principal).
    private static HashSet<string> SecretPermissionsOf(JsonArray policies, string principal)
    {
        var permissions = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var policy in policies.OfType<JsonObject>())
        {
            if (string.Equals(Text(policy["objectId"]), principal, StringComparison.OrdinalIgnoreCase) && Text(policy["applicationId"]) is null)
            {
                permissions.UnionWith((policy["permissions"]?["secrets"] as JsonArray ?? []).Select(Text).OfType<string>());
            }
        }

        return permissions;
    }

    private static VaultAccess? Read(DesiredWorkload workload)
    {
        if (workload.Result.Outputs?[Output] is not JsonObject output
            || Text(output["id"]) is not { } id
            || !ArmResourceId.TryParse(id, out var vaultId, out _))
        {
            return null;
        }

        var rbac = string.Equals(Text(output["mode"]), "rbac", StringComparison.OrdinalIgnoreCase);
        var secrets = (output["secrets"] as JsonArray ?? []).Select(Text).OfType<string>().Select(s => s.ToLowerInvariant()).Distinct().ToList();

        // principalIds names each principal given access; runs from before it was written gave access to the result's principal only.
        var principals = (output["principalIds"] as JsonArray ?? []).Select(Text).OfType<string>().ToList();
        if (principals.Count == 0 && workload.Result.PrincipalId is { } principal)
        {
            principals.Add(principal);
        }

        return principals.Count == 0 ? null : new VaultAccess(vaultId, rbac, secrets, principals);
    }

    private sealed record VaultAccess(ArmResourceId VaultId, bool Rbac, IReadOnlyList<string> Secrets, IReadOnlyList<string> PrincipalIds);
}
