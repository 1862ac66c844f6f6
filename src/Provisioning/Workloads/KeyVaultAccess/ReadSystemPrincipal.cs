using Provisioning.Activities;
using Provisioning.Arm;
using Provisioning.Arm.Resources;

namespace Provisioning.Workloads.KeyVaultAccess;

/// <summary>
/// Reads a resource's system-assigned principal (<c>identity.principalId</c>), or null when it has none: read after the
/// deploy, since a system-assigned identity exists only once its resource does. A plain GET at the type's api-version,
/// so it serves any kind whose resource has an ARM <c>identity</c>.
/// </summary>
public sealed class ReadSystemPrincipal(ProvisioningArmClient arm) : ArmActivity<ArmResourceId, string?>(arm)
{
    /// <inheritdoc />
    protected override async Task<string?> ExecuteAsync(ArmResourceId input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var resource = await Arm.Resources.GetAsync(input, apiVersion: null, cancellationToken);
        return resource?["identity"]?["principalId"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var principal) ? principal : null;
    }
}
