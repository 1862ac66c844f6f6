using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Bicep.Types.Az;
using Azure.Bicep.Types.Concrete;
using Provisioning.Infra.Tests.Harness;

namespace Provisioning.Infra.Tests;

[Collection(InfraTestGroup.Name)]
public sealed partial class EventGridTests(CompiledInfra infra)
{
    private JsonObject EventGrid => infra["eventgrid.bicep"].Template;

    private List<string> Parameter(string module, string name) =>
        [.. TemplateResources.ModuleParameter(EventGrid, module, name)!.AsArray().Select(node => node!.GetValue<string>())];

    [Fact]
    public void Subscriptions_deliver_the_Event_Grid_schema_to_a_webhook_whose_url_is_a_secure_parameter()
    {
        foreach (var module in new[] { "registryEvents", "resourceGroupEvents" })
        {
            var template = TemplateResources.Module(EventGrid, module);
            var subscription = Assert.Single(TemplateResources.All(template), resource => resource.Is("Microsoft.EventGrid/systemTopics/eventSubscriptions"));

            Assert.Equal("EventGridSchema", subscription.Properties!["eventDeliverySchema"]!.GetValue<string>());
            Assert.Equal("WebHook", subscription.Properties["destination"]!["endpointType"]!.GetValue<string>());
            Assert.Equal("securestring", template["parameters"]!["endpointUrl"]!["type"]!.GetValue<string>(), ignoreCase: true);
        }
    }

    [Fact]
    public void Registry_topics_deliver_image_pushed_and_deleted()
    {
        Assert.Equal("Microsoft.ContainerRegistry.Registries", TemplateResources.ModuleParameter(EventGrid, "registryEvents", "topicType")!.GetValue<string>());
        Assert.Equal(["Microsoft.ContainerRegistry.ImagePushed", "Microsoft.ContainerRegistry.ImageDeleted"], Parameter("registryEvents", "includedEventTypes"));
    }

    [Fact]
    public void The_subscription_topic_delivers_resource_group_writes_and_deletes_only()
    {
        Assert.Equal("Microsoft.Resources.Subscriptions", TemplateResources.ModuleParameter(EventGrid, "resourceGroupEvents", "topicType")!.GetValue<string>());
        Assert.Equal("global", TemplateResources.ModuleParameter(EventGrid, "resourceGroupEvents", "location")!.GetValue<string>());
        Assert.Equal(["Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceDeleteSuccess"], Parameter("resourceGroupEvents", "includedEventTypes"));
        Assert.Contains("/resourceGroups/", TemplateResources.ModuleParameter(EventGrid, "resourceGroupEvents", "subjectBeginsWith")!.GetValue<string>(), StringComparison.Ordinal);

        var filter = Assert.Single(TemplateResources.ModuleParameter(EventGrid, "resourceGroupEvents", "advancedFilters")!.AsArray())!;
        Assert.Equal("StringIn", filter["operatorType"]!.GetValue<string>());
        Assert.Equal("data.operationName", filter["key"]!.GetValue<string>());

        var operations = EventGrid["parameters"]!["resourceOperationNames"]!["defaultValue"]!.AsArray().Select(node => node!.GetValue<string>());
        Assert.Equal(["Microsoft.Resources/subscriptions/resourceGroups/write", "Microsoft.Resources/subscriptions/resourceGroups/delete"], operations);
    }

    [Theory]
    [InlineData("registryEvents")]
    [InlineData("resourceGroupEvents")]
    public void The_endpoint_is_the_events_function_with_the_host_default_function_key(string module)
    {
        var endpoint = TemplateResources.ModuleParameter(EventGrid, module, "endpointUrl")!.GetValue<string>();

        Assert.Equal("api/events", EventGrid["parameters"]!["eventsRoute"]!["defaultValue"]!.GetValue<string>());
        Assert.Contains("parameters('eventsRoute')", endpoint, StringComparison.Ordinal);
        Assert.Contains("?code=", endpoint, StringComparison.Ordinal);
        Assert.Contains("listKeys(", endpoint, StringComparison.Ordinal);
        Assert.Contains("/host/default", endpoint, StringComparison.Ordinal);
        Assert.Contains(".functionKeys.default", endpoint, StringComparison.Ordinal);
    }

    [Fact]
    public void No_output_carries_the_key()
    {
        Assert.DoesNotContain(EventGrid["outputs"]!.AsObject(), output => output.Value!.ToJsonString().Contains("listKeys", StringComparison.Ordinal));
    }

    [Fact]
    public void The_host_listKeys_function_exists_at_the_api_version_used()
    {
        var endpoint = TemplateResources.ModuleParameter(EventGrid, "resourceGroupEvents", "endpointUrl")!.GetValue<string>();
        var apiVersion = ListKeysApiVersion().Match(endpoint).Groups["version"].Value;

        var loader = new AzTypeLoader();
        var functions = loader.LoadTypeIndex().ResourceFunctions
            .Single(entry => string.Equals(entry.Key, "Microsoft.Web/sites/host", StringComparison.OrdinalIgnoreCase)).Value;
        Assert.True(functions.ContainsKey(apiVersion), $"No Microsoft.Web/sites/host functions at '{apiVersion}'.");
        Assert.Contains(functions[apiVersion], reference =>
            loader.LoadType(reference) is ResourceFunctionType function && string.Equals(function.Name, "listKeys", StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"listKeys\(format\('\{0\}/host/default'.*?\), '(?<version>[^']+)'\)")]
    private static partial Regex ListKeysApiVersion();
}
