using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Tests.Unit;

public sealed class ArmResourceIdTests
{
    private const string Sub = "00000000-0000-0000-0000-00000000c0de";

    [Fact]
    public void A_child_resource_id_is_parsed_into_its_parts()
    {
        var id = ArmResourceId.Parse($"/subscriptions/{Sub}/resourceGroups/rg-1/providers/Microsoft.ContainerRegistry/registries/myregistry/tasks/build");

        Assert.Equal(Sub, id.SubscriptionId);
        Assert.Equal("rg-1", id.ResourceGroupName);
        Assert.Equal("Microsoft.ContainerRegistry", id.ProviderNamespace);
        Assert.Equal("Microsoft.ContainerRegistry/registries/tasks", id.ResourceType);
        Assert.Equal("build", id.Name);
        Assert.Equal(ArmResourceIdKind.Resource, id.Kind);
        Assert.Equal($"/subscriptions/{Sub}/resourceGroups/rg-1/providers/Microsoft.ContainerRegistry/registries/myregistry", id.Parent!.ToString());
        Assert.Equal($"/subscriptions/{Sub}/resourceGroups/rg-1", id.Parent!.Parent!.ToString());
        Assert.Equal($"/subscriptions/{Sub}", id.Parent!.Parent!.Parent!.ToString());
        Assert.Null(id.Parent!.Parent!.Parent!.Parent);
    }

    [Fact]
    public void Ids_compare_without_case_and_know_their_scopes()
    {
        var lower = ArmResourceId.Parse($"/subscriptions/{Sub}/resourcegroups/RG/providers/microsoft.containerregistry/registries/MyRegistry");
        var canonical = ArmResourceId.ForResource(Sub, "rg", "Microsoft.ContainerRegistry/registries", "myregistry");

        Assert.Equal(canonical, lower);
        Assert.Equal(canonical.GetHashCode(), lower.GetHashCode());
        Assert.True(lower.IsWithin(ArmResourceId.ForResourceGroup(Sub, "rg")));
        Assert.False(lower.IsWithin(ArmResourceId.ForResourceGroup(Sub, "rg2")));
        Assert.Equal(ArmResourceIdKind.ResourceGroup, ArmResourceId.ForResourceGroup(Sub, "rg").Kind);
        Assert.Equal(ArmResourceIdKind.Subscription, ArmResourceId.ForSubscription(Sub).Kind);
    }

    [Theory]
    [InlineData("", "a resource id is empty")]
    [InlineData("subscriptions/00000000-0000-0000-0000-00000000c0de", "a resource id starts with '/subscriptions/'")]
    [InlineData("/subscriptions/abc/resourceGroups/rg", "the subscription id 'abc' is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-00000000c0de/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries", "the resource type 'registries' has no name after it (type and name come in pairs)")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-00000000c0de/resourceGroups/rg/registries/x", "after the resource group comes 'providers/{namespace}', not 'registries'")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-00000000c0de/resourceGroups/rg/providers/registries/x", "'registries' is not a provider namespace (it has the form 'Company.Service', e.g. 'Microsoft.ContainerRegistry')")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-00000000c0de/resourceGroups//providers/Microsoft.X/y/z", "a resource id has no empty segments (no '//' and no trailing '/')")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-00000000c0de/resourceGroups/rg?api-version=1", "a resource id contains no whitespace, '?' or '#'")]
    [InlineData("/subscriptions/00000000-0000-0000-0000-00000000c0de/resourceGroups", "'resourceGroups' is followed by the resource group name")]
    public void An_invalid_id_names_its_problem(string text, string problem)
    {
        Assert.False(ArmResourceId.TryParse(text, out _, out var actual));
        Assert.Equal(problem, actual);
        var error = Assert.Throws<ArmResourceIdFormatException>(() => ArmResourceId.Parse(text));
        Assert.Equal($"'{text}' is not a valid resource id: {problem}.", error.Message);
    }
}
