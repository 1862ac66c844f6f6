using System.Text.Json.Nodes;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Templates;

public sealed class TemplateExpressionTests
{
    private const string Template = """
        parameters:
          app: { type: string, allowedValues: [web, api] }
          replica: { type: int, defaultValue: 2 }
          location: { type: string, defaultValue: "[resourceGroup().location]" }
        identity:
          name: "[format('{0}-puller', parameters('app'))]"
        workload:
          name: "[concat(parameters('app'), '-', resourceGroup().name)]"
          location: "[parameters('location')]"
          tags:
            subscription: "[subscription().subscriptionId]"
            note: "[[literal]"
          properties:
            containers:
              - name: "[parameters('app')]"
                properties:
                  image: mcr.microsoft.com/azuredocs/aci-helloworld:latest
                  environmentVariables:
                    - { name: REPLICA, value: "[format('{0}', parameters('replica'))]" }
                  resources: { requests: { cpu: 1, memoryInGB: 1 } }
            osType: Linux
        """;

    [Fact]
    public void Format_concat_resource_group_subscription_defaults_and_escapes_evaluate_as_in_arm()
    {
        var template = TemplateLoader.Parse(Template, "expressions.yaml");

        var resolved = template.Bind(new Dictionary<string, JsonNode?> { ["app"] = "api" }, new TemplateTarget("00000000-0000-0000-0000-00000000aaaa", "team1", "northeurope"));

        Assert.Equal("api-puller", resolved.Identity!.Name);
        Assert.Equal("api-team1", resolved.Workload.ResourceId.Name);
        Assert.Equal("northeurope", resolved.Workload.Location);
        Assert.Equal("northeurope", resolved.Identity.Location);
        Assert.Equal("00000000-0000-0000-0000-00000000aaaa", resolved.Workload.Body["tags"]!["subscription"]!.GetValue<string>());
        Assert.Equal("[literal]", resolved.Workload.Body["tags"]!["note"]!.GetValue<string>());
        Assert.Equal("2", resolved.Workload.Body["properties"]!["containers"]![0]!["properties"]!["environmentVariables"]![0]!["value"]!.GetValue<string>());
        Assert.Empty(resolved.Grants);
    }

    [Fact]
    public void A_value_outside_allowed_values_is_refused_with_the_allowed_list()
    {
        var template = TemplateLoader.Parse(Template, "expressions.yaml");

        var error = Assert.Throws<TemplateException>(() => template.Bind(new Dictionary<string, JsonNode?> { ["app"] = "db" }, new TemplateTarget("00000000-0000-0000-0000-00000000aaaa", "team1", "northeurope")));

        Assert.Equal("expressions.yaml: parameters.app: the string 'db' is not an allowed value. Fix: use one of: \"web\", \"api\".", Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public void An_unknown_function_is_a_load_error_naming_the_supported_ones()
    {
        var text = Template.Replace("[concat(parameters('app'), '-', resourceGroup().name)]", "[uniqueString(resourceGroup().id)]", StringComparison.Ordinal);

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(text, "expressions.yaml"));

        Assert.Equal(
            "expressions.yaml: workload.name: the expression '[uniqueString(resourceGroup().id)]' cannot be read: 'uniqueString' is not a supported function (supported: parameters(), concat(), format(), base64(), resourceId(), resourceGroup(), subscription()). Fix: write an ARM expression using parameters(), concat(), format(), base64(), resourceId(), resourceGroup(), subscription(), e.g. [parameters('image')]; to write a literal starting with '[', start it with '[['.",
            Assert.Single(error.Errors).ToString());
    }
}
