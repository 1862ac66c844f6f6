using System.Text.RegularExpressions;
using Provisioning.Infra.Tests.Harness;

namespace Provisioning.Infra.Tests;

[Collection(InfraTestGroup.Name)]
public sealed partial class RoleAssignmentTests(CompiledInfra infra)
{
    private List<TemplateResource> RoleAssignments => [.. infra.Templates.Values
        .SelectMany(template => TemplateResources.All(template.Template))
        .Where(resource => resource.Is("Microsoft.Authorization/roleAssignments"))];

    private static bool Grants(TemplateResource assignment, string roleId) =>
        (assignment.Text(assignment.Properties?["roleDefinitionId"]) ?? "").Contains(roleId, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void The_RBAC_administrator_assignment_carries_an_ABAC_condition_limited_to_the_three_workload_roles()
    {
        var administrators = RoleAssignments.Where(assignment => Grants(assignment, BuiltInRoles.RoleBasedAccessControlAdministrator)).ToList();

        var administrator = Assert.Single(administrators);
        var properties = administrator.Properties!;
        Assert.Equal("2.0", administrator.Text(properties["conditionVersion"]));
        Assert.Equal("ServicePrincipal", administrator.Text(properties["principalType"]));

        var condition = administrator.Text(properties["condition"]);
        Assert.False(string.IsNullOrWhiteSpace(condition));
        Assert.False(condition.StartsWith('['), "The condition must be a literal, not an ARM expression.");

        var guids = Guids().Matches(condition).Select(match => match.Value.ToLowerInvariant()).ToHashSet();
        Assert.True(BuiltInRoles.Grantable.SetEquals(guids), $"The condition names {string.Join(", ", guids)}.");

        // Both halves of the "Constrain roles" template: the request of a write, the existing assignment of a delete.
        Assert.Contains("ActionMatches{'Microsoft.Authorization/roleAssignments/write'}", condition, StringComparison.Ordinal);
        Assert.Contains("ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}", condition, StringComparison.Ordinal);
        Assert.Contains("@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals", condition, StringComparison.Ordinal);
        Assert.Contains("@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals", condition, StringComparison.Ordinal);
        Assert.Contains("@Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}", condition, StringComparison.Ordinal);
        Assert.Contains("@Resource[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}", condition, StringComparison.Ordinal);
        Assert.Equal(CountOf(condition, '('), CountOf(condition, ')'));
        Assert.Equal(CountOf(condition, '{'), CountOf(condition, '}'));
    }

    [Fact]
    public void No_assignment_grants_owner_or_user_access_administrator()
    {
        Assert.DoesNotContain(RoleAssignments, assignment =>
            Grants(assignment, BuiltInRoles.Owner) || Grants(assignment, BuiltInRoles.UserAccessAdministrator));
    }

    [Fact]
    public void Every_assignment_names_its_principal_type()
    {
        Assert.All(RoleAssignments, assignment => Assert.NotNull(assignment.Properties?["principalType"]));
    }

    [Fact]
    public void The_target_module_runs_once_per_target_resource_group_at_that_scope()
    {
        var main = infra["main.bicep"].Template;
        var module = main["resources"]!["targetAccess"]!.AsObject();

        Assert.NotNull(module["copy"]);
        Assert.Contains("copyIndex()", module["resourceGroup"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("copyIndex()", module["subscriptionId"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_target_module_grants_identity_and_container_instance_roles_and_refuses_access_changing_extras()
    {
        var module = TemplateResources.Module(infra["main.bicep"].Template, "targetAccess");
        var builtIn = module["variables"]!["builtInRoles"]!.AsObject().Select(entry => entry.Value!.GetValue<string>()).ToHashSet();
        var workloadRoles = module["variables"]!["workloadRoles"]!.GetValue<string>();
        var refused = module["variables"]!["accessChangingRoles"]!.ToJsonString();

        Assert.Contains(BuiltInRoles.ManagedIdentityContributor, builtIn);
        Assert.Contains(BuiltInRoles.ManagedIdentityOperator, builtIn);
        Assert.Contains(BuiltInRoles.ContainerInstancesContributor, builtIn);
        Assert.DoesNotContain("roleBasedAccessControlAdministrator", workloadRoles, StringComparison.Ordinal);
        Assert.Contains("fail(", workloadRoles, StringComparison.Ordinal);
        Assert.Contains(BuiltInRoles.Owner, refused, StringComparison.Ordinal);
        Assert.Contains(BuiltInRoles.UserAccessAdministrator, refused, StringComparison.Ordinal);
        Assert.Contains("roleBasedAccessControlAdministrator", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void The_app_identity_gets_blob_owner_queue_and_table_contributor_on_its_storage()
    {
        var module = TemplateResources.Module(infra["main.bicep"].Template, "appStorageAccess");
        var roles = module["variables"]!["roles"]!.AsObject().Select(entry => entry.Value!.GetValue<string>()).ToHashSet();

        Assert.True(
            roles.SetEquals([BuiltInRoles.StorageBlobDataOwner, BuiltInRoles.StorageQueueDataContributor, BuiltInRoles.StorageTableDataContributor]),
            $"The storage roles are {string.Join(", ", roles)}.");
        Assert.Equal("ServicePrincipal", TemplateResources.ModuleParameter(infra["main.bicep"].Template, "appStorageAccess", "principalType")?.GetValue<string>());
    }

    [Fact]
    public void The_app_identity_may_publish_telemetry_with_Entra_authentication()
    {
        var module = TemplateResources.Module(infra["main.bicep"].Template, "telemetryPublisher");

        Assert.Equal(BuiltInRoles.MonitoringMetricsPublisher, module["variables"]!["monitoringMetricsPublisher"]!.GetValue<string>());
    }

    private static int CountOf(string text, char character) => text.Count(c => c == character);

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guids();
}
