using System.Text.Json.Nodes;
using Provisioning.Infra.Tests.Harness;

namespace Provisioning.Infra.Tests;

[Collection(InfraTestGroup.Name)]
public sealed class FunctionAppTests(CompiledInfra infra)
{
    private JsonObject Main => infra["main.bicep"].Template;

    private TemplateResource Deployed(string type) =>
        Assert.Single(TemplateResources.All(Main), resource => resource.Is(type) && !resource.IsExisting);

    [Fact]
    public void Main_is_deployed_at_resource_group_scope_and_creates_no_resource_group()
    {
        // A subscription-scoped azd deployment makes `azd down` delete every resource group it touched, including
        // the target groups that only hold role assignments.
        Assert.EndsWith("/deploymentTemplate.json#", Main["$schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(TemplateResources.All(Main), resource => resource.Is("Microsoft.Resources/resourceGroups"));
    }

    [Fact]
    public void Storage_refuses_shared_keys_and_old_TLS_and_has_the_deployment_container()
    {
        var storage = Deployed("Microsoft.Storage/storageAccounts").Properties!;

        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Deployed("Microsoft.Storage/storageAccounts/blobServices/containers");
    }

    [Fact]
    public void Application_Insights_accepts_only_Entra_authenticated_telemetry_which_the_app_sends_with_its_identity()
    {
        // The component's DisableLocalAuth comes from the module's parameter, which main sets.
        var component = Deployed("Microsoft.Insights/components").Properties!;
        Assert.Equal("[parameters('disableLocalAuth')]", component["DisableLocalAuth"]!.GetValue<string>());
        Assert.True(TemplateResources.ModuleParameter(Main, "applicationInsights", "disableLocalAuth")!.GetValue<bool>());

        var settings = TemplateResources.Module(Main, "functionApp").ToJsonString();
        Assert.Contains("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", settings, StringComparison.Ordinal);
        Assert.Contains("Authorization=AAD", settings, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plan_is_Flex_Consumption()
    {
        var plan = Deployed("Microsoft.Web/serverfarms").Resource;

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("FlexConsumption", plan["sku"]!["tier"]!.GetValue<string>());
    }

    [Fact]
    public void The_app_runs_dotnet_isolated_10_under_its_user_assigned_identity_only()
    {
        var site = Deployed("Microsoft.Web/sites");
        var identity = site.Resource["identity"]!.AsObject();
        var config = site.Properties!["functionAppConfig"]!.AsObject();

        Assert.Equal("UserAssigned", identity["type"]!.GetValue<string>());
        Assert.Single(identity["userAssignedIdentities"]!.AsObject());
        Assert.Equal("functionapp,linux", site.Resource["kind"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", config["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", config["runtime"]!["version"]!.GetValue<string>());
        Assert.Equal("blobContainer", config["deployment"]!["storage"]!["type"]!.GetValue<string>());
        Assert.Equal("UserAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
        Assert.NotNull(config["deployment"]!["storage"]!["authentication"]!["userAssignedIdentityResourceId"]);
        Assert.NotNull(config["scaleAndConcurrency"]!["maximumInstanceCount"]);
        Assert.NotNull(config["scaleAndConcurrency"]!["instanceMemoryMB"]);
        Assert.True(site.Properties["httpsOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void App_settings_use_identity_based_storage_and_telemetry_and_carry_the_product_settings()
    {
        var module = TemplateResources.Module(Main, "functionApp");
        var platform = module["variables"]!["platformSettings"]!.AsObject();
        var product = TemplateResources.ModuleParameter(Main, "functionApp", "appSettings")!.AsObject();
        var keys = platform.Select(entry => entry.Key).Concat(product.Select(entry => entry.Key)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal("managedidentity", platform["AzureWebJobsStorage__credential"]!.GetValue<string>());
        foreach (var key in new[]
        {
            "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
            "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri", "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "AZURE_CLIENT_ID", "Provisioning__Azure__SubscriptionId", "Provisioning__Drift__Schedule",
        })
        {
            Assert.Contains(key, keys);
        }

        Assert.Contains("Authorization=AAD", platform["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!.GetValue<string>(), StringComparison.Ordinal);
        // No connection string with a key, and nothing Flex Consumption refuses.
        Assert.DoesNotContain("AzureWebJobsStorage", keys);
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", keys);
        Assert.DoesNotContain("WEBSITE_RUN_FROM_PACKAGE", keys);
    }

    [Fact]
    public void The_app_is_tagged_as_the_azd_service_functions()
    {
        var tags = TemplateResources.ModuleParameter(Main, "functionApp", "tags")!.GetValue<string>();

        Assert.Contains("'azd-service-name', 'functions'", tags, StringComparison.Ordinal);
    }

    [Fact]
    public void Application_Insights_is_workspace_based()
    {
        var component = Deployed("Microsoft.Insights/components").Properties!;

        Assert.NotNull(component["WorkspaceResourceId"]);
        Deployed("Microsoft.OperationalInsights/workspaces");
    }

    [Theory]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("SERVICE_FUNCTIONS_NAME")]
    [InlineData("FUNCTION_APP_DEFAULT_HOSTNAME")]
    [InlineData("PROVISIONING_EVENTS_ENDPOINT")]
    [InlineData("AZURE_FUNCTION_IDENTITY_PRINCIPAL_ID")]
    [InlineData("AZURE_FUNCTION_IDENTITY_CLIENT_ID")]
    [InlineData("AZURE_FUNCTION_IDENTITY_RESOURCE_ID")]
    [InlineData("EVENTGRID_REGISTRY_IDS")]
    public void Main_outputs(string output)
    {
        Assert.NotNull(Main["outputs"]![output]);
    }

    [Fact]
    public void The_events_endpoint_output_has_no_key()
    {
        var endpoint = Main["outputs"]!["PROVISIONING_EVENTS_ENDPOINT"]!["value"]!.GetValue<string>();

        Assert.Contains("/api/events", endpoint, StringComparison.Ordinal);
        Assert.DoesNotContain("code=", endpoint, StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", endpoint, StringComparison.Ordinal);
    }
}
