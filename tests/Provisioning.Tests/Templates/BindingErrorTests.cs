using System.Text.Json.Nodes;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Templates;

public sealed class BindingErrorTests
{
    private const string RegistryId = "/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/myregistry";
    private static readonly TemplateTarget Target = new("00000000-0000-0000-0000-00000000aaaa", "apps", "westeurope");

    private static async Task<Template> Web()
    {
        var catalog = await TemplateCatalog.LoadFolderAsync(TemplateFiles.Good);
        Assert.True(catalog.TryGet("web", out var template));
        return template;
    }

    private static async Task<IReadOnlyList<string>> BindErrors(Dictionary<string, JsonNode?> parameters, TemplateTarget? target = null)
    {
        var template = await Web();
        var error = Assert.Throws<TemplateException>(() => template.Bind(parameters, target ?? Target));
        return error.Errors.Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public async Task A_missing_required_parameter_is_named_with_its_type()
    {
        var errors = await BindErrors(new() { ["image"] = "myregistry.azurecr.io/web:1" });

        Assert.Equal(["web.yaml: parameters.registryId: the required parameter 'registryId' has no value. Fix: pass a value of type string for 'registryId', or give it a 'defaultValue' in the template."], errors);
    }

    [Fact]
    public async Task A_parameter_of_the_wrong_type_and_an_unknown_parameter_are_both_reported()
    {
        var errors = await BindErrors(new() { ["image"] = "myregistry.azurecr.io/web:1", ["registryId"] = RegistryId, ["cpu"] = "two", ["imageTag"] = "1" });

        Assert.Equal(
        [
            "web.yaml: parameters.imageTag: 'imageTag' is not a parameter of template 'web'. Fix: remove it or correct the name; the parameters are: image, registryId, identityName, dnsLabel, cpu.",
            "web.yaml: parameters.cpu: expects a value of type int, got the string 'two'. Fix: pass a value of type int for 'cpu'.",
        ], errors);
    }

    [Fact]
    public async Task A_bound_value_azure_would_refuse_is_reported_at_the_field_it_lands_in()
    {
        var errors = await BindErrors(new() { ["image"] = "myregistry.azurecr.io/web:1", ["registryId"] = "myregistry", ["dnsLabel"] = "ab", ["cpu"] = 9 });

        Assert.Equal(
        [
            "web.yaml: grants[0].scope: 'myregistry' is not a resource id: a resource id starts with '/subscriptions/'. Fix: pass the full resource id of the scope, e.g. the registry's /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}.",
            "web.yaml: workload.properties.containers[0].properties.resources.requests.cpu: 9 is not a CPU request Azure Container Instances accepts. Fix: use a number of cores greater than 0 and at most 4, in steps of 0.1 (e.g. 0.5, 1, 2).",
            "web.yaml: workload.properties.ipAddress.dnsNameLabel: 'ab' is not a valid DNS name label. Fix: use 5 to 63 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit.",
        ], errors);
    }

    [Fact]
    public async Task A_location_from_the_resource_group_needs_the_target_location()
    {
        var errors = await BindErrors(new() { ["image"] = "myregistry.azurecr.io/web:1", ["registryId"] = RegistryId }, Target with { Location = null });

        Assert.Contains(errors, e => e.StartsWith("web.yaml: workload.location: '[resourceGroup().location]' cannot be evaluated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_identity_name_parameter_azure_would_refuse_is_reported()
    {
        var errors = await BindErrors(new() { ["image"] = "myregistry.azurecr.io/web:1", ["registryId"] = RegistryId, ["identityName"] = "x" });

        Assert.Equal(["web.yaml: identity.name: 'x' is not a valid user-assigned identity name. Fix: use 3 to 128 characters: letters, digits, '-' and '_', starting with a letter or digit."], errors);
    }

    [Fact]
    public void A_template_parsed_from_text_rejects_system_assigned_as_the_template_identity()
    {
        const string text = """
            identity: { name: web-puller, type: SystemAssigned }
            workload:
              name: web
              location: westeurope
              properties:
                containers: [{ name: web, properties: { image: nginx, resources: { requests: { cpu: 1, memoryInGB: 1 } } } }]
                osType: Linux
            """;

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(text, "inline.yaml"));

        // A container group may have only its system-assigned identity (then it pulls public images only), but not one with a name.
        Assert.Equal("inline.yaml: identity: a system-assigned identity has no name or location of its own. Fix: remove 'name' and 'location', or use 'type: UserAssigned'.", Assert.Single(error.Errors).ToString());
    }
}
