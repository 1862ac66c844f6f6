using System.Text.Json.Nodes;
using Provisioning.Arm.Identities;
using Provisioning.Arm.Resources;
using Provisioning.Templates.Validation;

namespace Provisioning.Workloads.GrantOnly;

/// <summary>
/// Reads a grant-only template's <c>workload</c>: not a resource to deploy but the existing target whose principal is
/// granted — a VM (<c>name</c>, optional <c>resourceGroup</c>, and <c>principal</c>: <c>system</c> for its
/// system-assigned identity, or the resource id of a user-assigned identity attached to it) or an existing user-assigned
/// identity (<c>name</c>, optional <c>resourceGroup</c>). The template's <c>identity</c> must be
/// <c>{ type: SystemAssigned }</c>, read here as "the target's own principal": the run creates no identity.
/// </summary>
internal sealed class GrantOnlyReader(WorkloadReadContext context, string resourceType, bool virtualMachine)
{
    /// <summary>The VM's <c>principal</c> naming its system-assigned identity (the default).</summary>
    public const string SystemPrincipal = "system";

    private readonly TemplateErrorList _errors = context.Errors;

    public ResolvedWorkload? Read(JsonObject workload)
    {
        const string path = "workload";
        string[] deployed = ["location", "properties", "identity", "tags", "apiVersion"];
        string[] known = virtualMachine ? ["type", "name", "resourceGroup", "principal"] : ["type", "name", "resourceGroup"];
        foreach (var (key, _) in workload)
        {
            if (deployed.Contains(key, StringComparer.Ordinal))
            {
                _errors.Add($"{path}.{key}", $"a grant-only run deploys nothing, so the target has no '{key}' here",
                    $"remove it; the workload only names the existing {(virtualMachine ? "VM" : "identity")} ({string.Join(", ", known.Skip(1))})");
            }
        }

        _errors.OnlyKnownKeys(new JsonObject(workload.Where(p => !deployed.Contains(p.Key, StringComparer.Ordinal)).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)null))), path, known);
        if (!context.SystemAssigned)
        {
            _errors.Add("identity", "a grant-only run grants to the target's own principal and creates no identity",
                "write 'identity: { type: SystemAssigned }' (meaning: the target's principal) and name the target in 'workload'");
        }

        var name = _errors.String(workload["name"], path + ".name", required: true, virtualMachine ? "\"[parameters('vmName')]\"" : "\"[parameters('identityName')]\"");
        if (name is not null && !_errors.IsDeferred(workload["name"]))
        {
            var problem = virtualMachine ? CheckVmName(name) : AzureNameRules.CheckIdentityName(name);
            _errors.Add(path + ".name", problem);
        }

        var resourceGroup = _errors.String(workload["resourceGroup"], path + ".resourceGroup", required: false, "\"[parameters('vmResourceGroup')]\"");
        string? principal = SystemPrincipal;
        if (virtualMachine)
        {
            principal = _errors.String(workload["principal"], path + ".principal", required: false, "system") ?? SystemPrincipal;
            if (!_errors.IsDeferred(workload["principal"]) && !principal.Equals(SystemPrincipal, StringComparison.OrdinalIgnoreCase))
            {
                if (!ArmResourceId.TryParse(principal, out var identityId, out var problem))
                {
                    _errors.Add(path + ".principal", $"'{principal}' is neither 'system' nor a resource id: {problem}",
                        "write 'system' for the VM's system-assigned identity, or the full id of a user-assigned identity attached to it, e.g. [resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'build-agent')]");
                }
                else if (!identityId.ResourceType.Equals(UserAssignedIdentityClient.ResourceType, StringComparison.OrdinalIgnoreCase))
                {
                    _errors.Add(path + ".principal", $"'{principal}' is a {identityId.ResourceType}, not a user-assigned identity",
                        "write the id of a Microsoft.ManagedIdentity/userAssignedIdentities attached to the VM, or 'system'");
                }
            }
        }

        if (context.Target is not { } target || _errors.HasErrors || name is null)
        {
            return null;
        }

        var id = ArmResourceId.ForResource(target.SubscriptionId, resourceGroup ?? target.ResourceGroupName, resourceType, name);
        var body = virtualMachine ? new JsonObject { ["principal"] = principal } : [];
        return new ResolvedWorkload(resourceType, id, body);
    }

    // Azure's rule for a Linux VM name (the stricter Windows 15-character limit applies only to the computer name).
    private static (string Problem, string Fix)? CheckVmName(string name) =>
        name.Length is < 1 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || name.EndsWith('.') || name.EndsWith('-') || name.StartsWith('_')
            ? ($"'{name}' is not a virtual machine name", "use 1 to 64 letters, digits, '-', '_' and '.', not ending with '.' or '-'")
            : null;
}
