using Azure.Bicep.Types.Az;
using Provisioning.Infra.Tests.Harness;

namespace Provisioning.Infra.Tests;

[Collection(InfraTestGroup.Name)]
public sealed class ApiVersionTests(CompiledInfra infra)
{
    private static readonly Lazy<HashSet<string>> KnownTypes = new(() =>
        new HashSet<string>(new AzTypeLoader().LoadTypeIndex().Resources.Keys, StringComparer.OrdinalIgnoreCase));

    [Fact]
    public void Every_type_and_api_version_exists_in_the_Azure_type_index()
    {
        var resources = infra.Templates.Values.SelectMany(template => TemplateResources.All(template.Template)
            .Select(resource => (template.Name, resource))).ToList();

        Assert.True(resources.Count > 20, $"Only {resources.Count} resources found: the walk missed the nested templates.");
        var unknown = resources
            .Where(item => !KnownTypes.Value.Contains($"{item.resource.Type}@{item.resource.ApiVersion}"))
            .Select(item => $"{item.Name}:{item.resource.Path} {item.resource.Type}@{item.resource.ApiVersion}")
            .ToList();
        Assert.True(unknown.Count == 0, "Not in Azure.Bicep.Types.Az:" + Environment.NewLine + string.Join(Environment.NewLine, unknown));
    }

    [Fact]
    public void Only_stable_api_versions_are_used()
    {
        var preview = infra.Templates.Values
            .SelectMany(template => TemplateResources.All(template.Template))
            .Where(resource => resource.ApiVersion.Contains("preview", StringComparison.OrdinalIgnoreCase))
            .Select(resource => $"{resource.Type}@{resource.ApiVersion}")
            .ToList();
        Assert.Empty(preview);
    }

    [Fact]
    public void Nested_templates_are_walked()
    {
        var types = TemplateResources.All(infra["main.bicep"].Template).Select(resource => resource.Type).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Contains("Microsoft.Web/sites", types);
        Assert.Contains("Microsoft.Web/serverfarms", types);
        Assert.Contains("Microsoft.Storage/storageAccounts/blobServices/containers", types);
        Assert.Contains("Microsoft.Authorization/roleAssignments", types);
        Assert.Contains("Microsoft.Insights/components", types);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", types);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", types);
    }
}
