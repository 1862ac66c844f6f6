using Provisioning.Arm;
using Provisioning.Arm.Authorization;
using Provisioning.Arm.ContainerRegistry;
using Provisioning.Arm.Resources;
using Provisioning.Templates.Binding;

namespace Provisioning.Activities;

/// <summary>
/// Checks, before anything is created, that every registry the workload pulls from can serve identity pulls to it:
/// the registry exists, a grant covers it, its network rules let Azure services through, and the granted role is
/// one its permission mode honours. Returns every problem found, each with its fix.
/// </summary>
public sealed class CheckRegistryPrerequisites(ProvisioningArmClient arm) : ArmActivity<RegistryCheckRequest, RegistryCheckResult>(arm)
{
    private static readonly HashSet<Guid> RolesIgnoredInAbacMode = [BuiltInRoles.AcrPull, BuiltInRoles.AcrPush];

    /// <inheritdoc />
    protected override async Task<RegistryCheckResult> ExecuteAsync(RegistryCheckRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new List<string>();
        var registries = new List<ContainerRegistry>();
        var unreadable = 0;
        var registryGrants = input.Grants.Where(grant => grant.Scope.ResourceType.Equals(RegistryClient.ResourceType, StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var scope in registryGrants.Select(grant => grant.Scope).Distinct())
        {
            var registry = await Arm.Registries.GetAsync(scope, cancellationToken);
            if (registry is null)
            {
                problems.Add($"The registry '{scope}' does not exist (or this app cannot read it). Create it, or fix the grant's scope.");
                unreadable++;
                continue;
            }

            registries.Add(registry);
            if (registry.IsNetworkRestricted && !registry.AllowsTrustedServices)
            {
                problems.Add($"The registry '{registry.Id.Name}' restricts network access and does not let trusted Azure services through, so the {input.WorkloadDisplayName} cannot pull from it. Set networkRuleBypassOptions to AzureServices.");
            }
            else if (registry.IsNetworkRestricted && input.TrustedOnlyWithSystemIdentity && !input.SystemAssigned)
            {
                // Trusted-services access is granted to a service's system-assigned identity only.
                problems.Add($"The registry '{registry.Id.Name}' restricts network access, and through it as a trusted service only the {input.WorkloadDisplayName}'s system-assigned identity is let in, not a user-assigned one. Write 'identity: {{ type: SystemAssigned }}' in the template (and '[system]' as the registry credential's identity).");
            }

            if (input.PullsWithArmAudienceTokens && string.Equals(registry.AzureAdAuthenticationAsArmPolicyStatus, "disabled", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"The registry '{registry.Id.Name}' refuses ARM-audience tokens (policies.azureADAuthenticationAsArmPolicy.status is 'disabled'), and the {input.WorkloadDisplayName} pulls with them. Enable it: az acr config authentication-as-arm update --registry {registry.Id.Name} --status enabled (or set properties.policies.azureADAuthenticationAsArmPolicy.status to 'enabled').");
            }

            foreach (var grant in registryGrants.Where(grant => grant.Scope.Equals(scope) && registry.UsesAbacRepositoryPermissions && RolesIgnoredInAbacMode.Contains(grant.RoleDefinitionId)))
            {
                problems.Add($"The registry '{registry.Id.Name}' uses ABAC repository permissions, which ignore {grant.RoleName ?? grant.RoleDefinitionId.ToString()}. Grant 'Container Registry Repository Reader' instead.");
            }
        }

        foreach (var server in input.PulledRegistries)
        {
            var covered = registries.Any(registry => string.Equals(registry.LoginServer, server, StringComparison.OrdinalIgnoreCase));

            // An unreadable registry may be the one that serves this login server: its own problem already says so.
            if (!covered && unreadable == 0)
            {
                problems.Add($"The workload pulls from '{server}', but no grant covers that registry. Add a grant with the AcrPull role scoped to it.");
            }
        }

        return new RegistryCheckResult(problems, registries.Select(registry => new CheckedRegistry(registry.Id.ToString(), registry.LoginServer, registry.SkuName)).ToList());
    }
}

/// <summary>What the prerequisite check reads: the grants, and the registries the workload pulls from.</summary>
/// <param name="Grants">The roles the template grants.</param>
/// <param name="PulledRegistries">The login servers the workload pulls from with its identity.</param>
/// <param name="WorkloadDisplayName">The workload kind, for messages ("container group").</param>
/// <param name="SystemAssigned">Whether the workload pulls with its system-assigned identity.</param>
public sealed record RegistryCheckRequest(IReadOnlyList<ResolvedGrant> Grants, IReadOnlyList<string> PulledRegistries, string WorkloadDisplayName, bool SystemAssigned)
{
    /// <summary>Whether a network-restricted registry lets only the workload's system-assigned identity through as a trusted service (ACR Tasks).</summary>
    public bool TrustedOnlyWithSystemIdentity { get; init; }

    /// <summary>Whether the workload pulls with ARM-audience tokens (Container Apps): each registry must accept them.</summary>
    public bool PullsWithArmAudienceTokens { get; init; }
}

/// <summary>What the prerequisite check found.</summary>
/// <param name="Problems">Each problem with its fix; empty when the registries are ready.</param>
/// <param name="Registries">The registries checked.</param>
public sealed record RegistryCheckResult(IReadOnlyList<string> Problems, IReadOnlyList<CheckedRegistry> Registries);

/// <summary>A registry the check read.</summary>
/// <param name="Id">Its resource id.</param>
/// <param name="LoginServer">Its login server.</param>
/// <param name="Sku">Its SKU.</param>
public sealed record CheckedRegistry(string Id, string? LoginServer, string? Sku);
