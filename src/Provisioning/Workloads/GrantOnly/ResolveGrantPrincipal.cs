using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Compute;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.GrantOnly;

/// <summary>
/// Reads the grant-only target and returns the principal to grant: a VM's system-assigned identity or one of its
/// user-assigned identities (read from the VM's <c>identity</c>), or an existing user-assigned identity. A target that
/// does not exist, or a VM without the identity named, is a refusal naming the fix: the run never creates or changes it.
/// </summary>
public sealed class ResolveGrantPrincipal(ProvisioningArmClient arm) : ArmActivity<ResolvedWorkload, GrantPrincipal>(arm)
{
    /// <inheritdoc />
    protected override async Task<GrantPrincipal> ExecuteAsync(ResolvedWorkload input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = input.ResourceId;
        if (!id.ResourceType.Equals(VirtualMachineClient.ResourceType, StringComparison.OrdinalIgnoreCase))
        {
            var identity = await Arm.Identities.GetAsync(id, cancellationToken);
            var about = $"the user-assigned identity '{id.Name}'";
            return identity is null
                ? new GrantPrincipal(null, about, $"The user-assigned identity '{id}' does not exist. A grant-only run grants to an existing identity and never creates one: create it (az identity create -g {id.ResourceGroupName} -n {id.Name}), or fix 'workload.name'/'workload.resourceGroup'.")
                : new GrantPrincipal(identity.PrincipalId, about, null);
        }

        var vm = await Arm.VirtualMachines.GetAsync(id, cancellationToken);
        var selector = input.Body["principal"]?.GetValue<string>() ?? GrantOnlyReader.SystemPrincipal;
        if (selector.Equals(GrantOnlyReader.SystemPrincipal, StringComparison.OrdinalIgnoreCase))
        {
            var about = $"the system-assigned identity of the VM '{id.Name}'";
            return vm is null ? Missing(id, about)
                : vm.SystemPrincipalId is { } principal ? new GrantPrincipal(principal, about, null)
                : new GrantPrincipal(null, about, $"The VM '{id.Name}' has no system-assigned identity (its identity type is '{vm.IdentityType ?? "None"}'). Turn it on (az vm identity assign -g {id.ResourceGroupName} -n {id.Name}), or name one of its user-assigned identities in 'workload.principal'.");
        }

        var identityId = ArmResourceId.Parse(selector);
        var described = $"the user-assigned identity '{identityId.Name}' of the VM '{id.Name}'";
        if (vm is null)
        {
            return Missing(id, described);
        }

        var attached = string.Join(", ", vm.UserAssignedPrincipals.Keys.Select(key => ArmResourceId.TryParse(key, out var parsed, out _) ? parsed.Name : key));
        return vm.UserAssignedPrincipal(identityId) is { } userPrincipal
            ? new GrantPrincipal(userPrincipal, described, null)
            : new GrantPrincipal(null, described, $"The user-assigned identity '{identityId.Name}' is not attached to the VM '{id.Name}' (attached: {(attached.Length == 0 ? "none" : attached)}). Attach it (az vm identity assign -g {id.ResourceGroupName} -n {id.Name} --identities {identityId}), or name an attached one or 'system' in 'workload.principal'.");
    }

    private static GrantPrincipal Missing(ArmResourceId id, string about) =>
        new(null, about, $"The VM '{id}' does not exist. A grant-only run grants to an existing VM's identity and never creates a VM: fix 'workload.name'/'workload.resourceGroup', or create the VM first.");
}
