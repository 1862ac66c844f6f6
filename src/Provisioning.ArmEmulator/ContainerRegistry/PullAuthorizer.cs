using Provisioning.ArmEmulator.Authorization;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>
/// Decides whether an image pull succeeds: the image must exist in the emulated registry, the network rules must
/// let the client in, and an identity must hold a pull-capable role at the registry or above for longer than the
/// grant propagation delay. Images outside <c>*.azurecr.io</c> are treated as public.
/// </summary>
internal sealed class PullAuthorizer(EmulatorContext context)
{
    /// <summary>The public address the emulated pulling agents come from (a documentation address, RFC 5737).</summary>
    private const string AgentAddress = "203.0.113.10";

    public PullResult Check(ImageReference image, PullCredential credential, PullClient client)
    {
        if (!image.IsAzureContainerRegistry)
        {
            return PullResult.Ok;
        }

        var registry = FindRegistry(image.Server);
        if (registry is null || registry.ProvisioningState != "Succeeded")
        {
            return new PullResult(false, "RegistryNotFound", $"The registry '{image.Server}' could not be resolved.");
        }

        var state = (RegistryState)registry.State!;
        var properties = registry.Document["properties"]!;
        if (!state.HasImage(image.Repository, image.Reference))
        {
            return new PullResult(false, "ManifestUnknown", $"manifest for {image} not found: manifest unknown.");
        }

        var networkRestricted = string.Equals(properties["publicNetworkAccess"]?.GetValue<string>(), "Disabled", StringComparison.OrdinalIgnoreCase)
            || string.Equals(properties["networkRuleSet"]?["defaultAction"]?.GetValue<string>(), "Deny", StringComparison.OrdinalIgnoreCase);
        if (networkRestricted)
        {
            var trustedServicesAllowed = string.Equals(properties["networkRuleBypassOptions"]?.GetValue<string>() ?? "AzureServices", "AzureServices", StringComparison.OrdinalIgnoreCase);
            // Trusted services: ACR Tasks reach a restricted registry through the bypass only with the task's own
            // system-assigned identity ("Trusted services" in the ACR firewall docs); a user-assigned identity's pull
            // comes from the agent's public IP and meets the firewall.
            var isTrusted = client switch
            {
                PullClient.ContainerInstances => true,
                PullClient.RegistryTasks => credential.IsSystemAssigned,
                _ => false,
            };
            if (!(isTrusted && trustedServicesAllowed && credential.PrincipalId is not null))
            {
                return new PullResult(false, "NetworkDenied", $"denied: client with IP '{AgentAddress}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.");
            }
        }

        if (credential.Username is not null)
        {
            var adminEnabled = properties["adminUserEnabled"]?.GetValue<bool>() == true;
            return adminEnabled && credential.Username.Equals(registry.Name, StringComparison.OrdinalIgnoreCase) && state.AdminPasswords.Contains(credential.Password)
                ? PullResult.Ok
                : new PullResult(false, "Unauthorized", $"unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.");
        }

        if (credential.PrincipalId is null)
        {
            return properties["anonymousPullEnabled"]?.GetValue<bool>() == true
                ? PullResult.Ok
                : new PullResult(false, "Unauthorized", "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.");
        }

        if (client == PullClient.ContainerApps
            && string.Equals(properties["policies"]?["azureADAuthenticationAsArmPolicy"]?["status"]?.GetValue<string>(), "disabled", StringComparison.OrdinalIgnoreCase))
        {
            return new PullResult(false, "ArmTokenRefused", $"unauthorized: ARM-audience tokens are disabled on registry '{image.Server}' (azureADAuthenticationAsArmPolicy).");
        }

        return Grant(registry, credential.PrincipalId);
    }

    /// <summary>The registry whose login server is <paramref name="loginServer"/>.</summary>
    public StoredResource? FindRegistry(string loginServer) =>
        context.Store.OfType(RegistryHandler.Type).FirstOrDefault(r =>
            string.Equals(r.Document["properties"]?["loginServer"]?.GetValue<string>(), loginServer, StringComparison.OrdinalIgnoreCase));

    private PullResult Grant(StoredResource registry, string principalId)
    {
        var abac = string.Equals(registry.Document["properties"]?["roleAssignmentMode"]?.GetValue<string>(), "AbacRepositoryPermissions", StringComparison.OrdinalIgnoreCase);
        var now = context.Time.GetUtcNow();
        var propagation = context.Faults.Current.GrantPropagationDelay;
        var grants = context.Store.OfType(RoleAssignmentHandler.Type)
            .Where(a => ResourceStore.IsAtOrBelow(registry.Id, RoleAssignmentHandler.ScopeOf(a)))
            .Where(a => a.Document["properties"]!["principalId"]!.GetValue<string>().Equals(principalId, StringComparison.OrdinalIgnoreCase))
            .Where(a => BuiltInRoles.Find(a.Document["properties"]!["roleDefinitionId"]!.GetValue<string>().Split('/')[^1]) is { } role
                && (abac ? role.PullsInAbacMode : role.PullsInRbacMode))
            .ToList();
        if (grants.Count == 0)
        {
            return new PullResult(false, "Unauthorized", "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.");
        }

        return grants.Any(g => now - g.CreatedAt >= propagation)
            ? PullResult.Ok
            : new PullResult(false, "NotYetEffective", "unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.");
    }
}
