using Provisioning.Arm.Authorization;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Unit;

public sealed class RoleAssignmentNameTests
{
    private static readonly ArmResourceId Registry = ArmResourceId.Parse("/subscriptions/00000000-0000-0000-0000-00000000c0de/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/myregistry");

    [Fact]
    public void Version5_matches_the_python_uuid5_reference_value()
    {
        // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") in Python's standard library.
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), RoleAssignmentName.Version5(dns, "python.org"));
    }

    [Fact]
    public void The_name_is_the_uuid5_of_scope_principal_and_role_computed_independently()
    {
        // Python: uuid.uuid5(UUID('362bfa4f-ccda-4cf5-99fa-8a5bfbc367b2'),
        //   '\n'.join([scope.lower(), '11111111-2222-3333-4444-555555555555', '7f951dda-4ed3-4680-a7ca-43fe172d538d']))
        var name = RoleAssignmentName.For(Registry, "11111111-2222-3333-4444-555555555555", "7f951dda-4ed3-4680-a7ca-43fe172d538d");

        Assert.Equal(new Guid("3ddb424e-b9e1-547a-bfd7-ca9cec129e91"), name);
    }

    [Fact]
    public void The_name_ignores_case_and_the_form_of_the_role_definition_id()
    {
        var upper = ArmResourceId.Parse(Registry.ToString().ToUpperInvariant().Replace("SUBSCRIPTIONS", "subscriptions", StringComparison.Ordinal));
        var byGuid = RoleAssignmentName.For(Registry, "11111111-2222-3333-4444-555555555555", "7f951dda-4ed3-4680-a7ca-43fe172d538d");
        var byFullId = RoleAssignmentName.For(upper, "11111111-2222-3333-4444-555555555555".ToUpperInvariant(),
            "/subscriptions/00000000-0000-0000-0000-00000000c0de/providers/Microsoft.Authorization/roleDefinitions/7F951DDA-4ED3-4680-A7CA-43FE172D538D");

        Assert.Equal(byGuid, byFullId);
    }

    [Fact]
    public void Different_scopes_principals_or_roles_give_different_names()
    {
        var principal = "11111111-2222-3333-4444-555555555555";
        var baseline = RoleAssignmentName.For(Registry, principal, BuiltInRoles.AcrPull.ToString());

        Assert.NotEqual(baseline, RoleAssignmentName.For(Registry.Parent!, principal, BuiltInRoles.AcrPull.ToString()));
        Assert.NotEqual(baseline, RoleAssignmentName.For(Registry, "11111111-2222-3333-4444-555555555556", BuiltInRoles.AcrPull.ToString()));
        Assert.NotEqual(baseline, RoleAssignmentName.For(Registry, principal, BuiltInRoles.AcrPush.ToString()));
    }

    [Fact]
    public void A_role_definition_that_is_not_a_guid_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RoleAssignmentName.For(Registry, "11111111-2222-3333-4444-555555555555", "AcrPull"));
    }
}
