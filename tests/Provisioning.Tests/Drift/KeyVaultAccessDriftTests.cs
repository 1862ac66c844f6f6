using System.Text.Json.Nodes;
using Provisioning.Arm.Resources;
using Provisioning.Drift;
using Provisioning.Orchestrations;
using Provisioning.Templates.Binding;
using Provisioning.Workloads;

namespace Provisioning.Tests.Drift;

/// <summary>
/// How a run's Key Vault access is compared with a listed vault, on the cases the end-to-end tests do not reach: the
/// <c>all</c> permission, an application-bound (compound) entry, several principals, a vault gone, no access at all.
/// </summary>
public sealed class KeyVaultAccessDriftTests
{
    private const string Subscription = "/subscriptions/00000000-0000-0000-0000-00000000aaaa";
    private const string VaultId = Subscription + "/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv";
    private const string User = "11111111-1111-1111-1111-111111111111";
    private const string System = "22222222-2222-2222-2222-222222222222";

    private static DesiredWorkload Workload(JsonObject? keyVault, string? principal = User)
    {
        var id = ArmResourceId.Parse(Subscription + "/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/web");
        var template = new ResolvedTemplate("web", null, [], new ResolvedWorkload("Microsoft.ContainerInstance/containerGroups", id, []));
        var result = new ProvisioningResult(id.ToString(), template.Workload.Kind, null, principal, null, [], [], 1, new Dictionary<string, double>())
        {
            Outputs = keyVault is null ? [] : new JsonObject { ["keyVault"] = keyVault },
        };
        return new DesiredWorkload("run-1", new ProvisioningInput(template), result, DateTimeOffset.UnixEpoch);
    }

    private static JsonObject Access(string mode, params string[] principalIds) => new()
    {
        ["id"] = VaultId,
        ["mode"] = mode,
        ["secrets"] = new JsonArray("get", "list"),
        ["principalIds"] = principalIds.Length == 0 ? null : new JsonArray([.. principalIds.Select(p => (JsonNode?)p)]),
    };

    private static readonly KeyVaultAccessDrift Check = new();

    private static ListedResources Listed(Dictionary<string, JsonObject> resources) => new(resources, new HashSet<string>());

    private static Dictionary<string, JsonObject> Vaults(params JsonObject[] policies) => new(StringComparer.OrdinalIgnoreCase)
    {
        [VaultId] = new JsonObject
        {
            ["id"] = VaultId,
            ["properties"] = new JsonObject { ["enableRbacAuthorization"] = false, ["accessPolicies"] = new JsonArray([.. policies]) },
        },
    };

    private static JsonObject Entry(string objectId, string? applicationId, params string[] secrets) => new()
    {
        ["tenantId"] = "t",
        ["objectId"] = objectId,
        ["applicationId"] = applicationId,
        ["permissions"] = new JsonObject { ["secrets"] = new JsonArray([.. secrets.Select(s => (JsonNode?)s)]) },
    };

    [Fact]
    public void The_all_permission_gives_every_secret_permission()
        => Assert.Empty(Check.Compare(Workload(Access("accessPolicy")), Listed(Vaults(Entry(User, null, "all")))));

    [Fact]
    public void An_application_bound_entry_is_not_the_principal_s_own()
    {
        var finding = Assert.Single(Check.Compare(Workload(Access("accessPolicy")), Listed(Vaults(Entry(User, "33333333-3333-3333-3333-333333333333", "get", "list")))));

        Assert.Equal((DriftKind.AccessPolicyRemoved, "get, list", "no access-policy entry"), (finding.Kind, finding.Expected, finding.Actual));
    }

    [Fact]
    public void Each_principal_the_run_names_is_checked_and_the_result_s_principal_only_when_it_names_none()
    {
        var both = Check.Compare(Workload(Access("accessPolicy", User, System)), Listed(Vaults(Entry(User, null, "get", "list"), Entry(System, null, "get"))));
        var legacy = Check.Compare(Workload(Access("accessPolicy"), principal: System), Listed(Vaults(Entry(User, null, "get", "list"))));

        Assert.Equal($"properties.accessPolicies[{System}].permissions.secrets", Assert.Single(both).Property);
        Assert.Equal("get", Assert.Single(both).Actual);
        Assert.Equal($"properties.accessPolicies[{System}].permissions.secrets", Assert.Single(legacy).Property);
    }

    [Fact]
    public void A_vault_that_is_gone_is_one_finding_naming_it()
    {
        var finding = Assert.Single(Check.Compare(Workload(Access("accessPolicy")), Listed(new Dictionary<string, JsonObject>())));

        Assert.Equal((DriftKind.AccessPolicyRemoved, VaultId, "the vault is not found"), (finding.Kind, finding.ResourceId, finding.Actual));
    }

    [Fact]
    public void The_collections_follow_the_mode_and_a_run_without_vault_access_needs_none()
    {
        Assert.Equal($"{Subscription}/providers/Microsoft.KeyVault/vaults", Assert.Single(Check.ListTargets(Workload(Access("accessPolicy")))).Path);
        Assert.Equal($"{Subscription}/providers/Microsoft.Authorization/roleAssignments", Assert.Single(Check.ListTargets(Workload(Access("rbac")))).Path);
        Assert.Empty(Check.ListTargets(Workload(null)));
        Assert.Empty(Check.Compare(Workload(null), Listed(Vaults())));
    }
}
