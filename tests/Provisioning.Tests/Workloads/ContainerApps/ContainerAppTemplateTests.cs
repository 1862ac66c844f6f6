using System.Text.Json.Nodes;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Workloads.ContainerApps;

public sealed class ContainerAppTemplateTests
{
    private const string Subscription = "/subscriptions/00000000-0000-0000-0000-00000000aaaa";
    private const string IdentityId = Subscription + "/resourceGroups/rg-apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/app-puller";
    private const string EnvironmentId = Subscription + "/resourceGroups/rg-apps/providers/Microsoft.App/managedEnvironments/shared-env";
    private static readonly TemplateTarget Target = new("00000000-0000-0000-0000-00000000aaaa", "rg-apps", "westeurope");

    [Fact]
    public async Task The_sample_binds_to_an_app_with_its_system_identity_and_the_environment_the_run_creates()
    {
        var template = await TemplateLoader.LoadFileAsync(SamplePath("containerapp.yaml"));

        var resolved = template.Bind(new Dictionary<string, JsonNode?>(), Target);

        Assert.Null(resolved.Identity);
        Assert.Equal("Microsoft.App/containerApps", resolved.Workload.Kind);
        Assert.Equal(Subscription + "/resourceGroups/rg-apps/providers/Microsoft.App/containerApps/hello-app", resolved.Workload.ResourceId.ToString());
        var body = resolved.Workload.Body;
        Assert.Equal("SystemAssigned", body["identity"]!["type"]!.GetValue<string>());
        var environment = body["environment"]!;
        Assert.Equal(Subscription + "/resourceGroups/rg-apps/providers/Microsoft.App/managedEnvironments/hello-env", environment["id"]!.GetValue<string>());
        Assert.Equal("westeurope", environment["body"]!["location"]!.GetValue<string>());
        Assert.Equal(environment["id"]!.GetValue<string>(), body["properties"]!["managedEnvironmentId"]!.GetValue<string>());
        var registry = body["properties"]!["configuration"]!["registries"]![0]!;
        Assert.Equal("sandboxacr.azurecr.io", registry["server"]!.GetValue<string>());
        Assert.Equal("system", registry["identity"]!.GetValue<string>());
        Assert.EndsWith("/registries/sandboxacr", Assert.Single(resolved.Grants).Scope.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_assigned_app_in_an_existing_environment_names_the_identity_on_the_app_and_keeps_the_environment_id()
    {
        var resolved = TemplateLoader.Parse(App(), "app.yaml").Bind(new Dictionary<string, JsonNode?>(), Target);

        var body = resolved.Workload.Body;
        Assert.Equal("UserAssigned", body["identity"]!["type"]!.GetValue<string>());
        Assert.NotNull(body["identity"]!["userAssignedIdentities"]![IdentityId]);
        Assert.Null(body["environment"]);
        Assert.Equal(EnvironmentId, body["properties"]!["managedEnvironmentId"]!.GetValue<string>());
        Assert.Equal(IdentityId, resolved.Identity!.ResourceId.ToString());
    }

    [Theory]
    [InlineData("name: Web_App", "workload.name: 'Web_App' is not a container app name")]
    [InlineData("name: web--app", "workload.name: 'web--app' is not a container app name")]
    public void An_app_name_azure_would_refuse_is_named_with_the_fix(string name, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(App(name: name), "app.yaml"));

        Assert.Contains(error.Errors, e => e.ToString().StartsWith("app.yaml: " + expected, StringComparison.Ordinal) && e.ToString().Contains("Fix: use 2 to 32 lowercase letters", StringComparison.Ordinal));
    }

    [Fact]
    public void An_app_without_an_environment_is_told_both_ways_to_name_one()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(App(environment: ""), "app.yaml"));

        Assert.Equal(
            "app.yaml: workload.properties.managedEnvironmentId: is required: a container app runs in a managed environment. Fix: name an existing one, e.g. [resourceId('Microsoft.App/managedEnvironments', parameters('environmentName'))], or write 'workload.environment: { name: ... }' for the run to create it.",
            Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public void An_environment_block_and_an_environment_id_together_are_refused()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(App(extra: "  environment: { name: new-env }"), "app.yaml"));

        Assert.Contains(error.Errors, e => e.ToString().Contains("workload.properties.managedEnvironmentId: names an environment while 'workload.environment' asks the run to create one", StringComparison.Ordinal));
    }

    [Fact]
    public void An_environment_id_of_another_type_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(App(environment: $"    managedEnvironmentId: {IdentityId}"), "app.yaml"));

        Assert.Contains(error.Errors, e => e.ToString().Contains("is a Microsoft.ManagedIdentity/userAssignedIdentities, not a managed environment", StringComparison.Ordinal));
    }

    [Fact]
    public void A_system_registry_identity_with_a_user_assigned_template_identity_is_refused_with_the_fix()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(App(registryIdentity: "system"), "app.yaml"));

        Assert.Equal(
            "app.yaml: workload.properties.configuration.registries[0].identity: names the app's system-assigned identity, but the template's identity is user-assigned. Fix: write 'identity: { type: SystemAssigned }' at the top of the template, or the user-assigned identity's id here.",
            Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public void A_registry_identity_that_is_not_the_template_identity_is_refused_at_bind_time()
    {
        var other = Subscription + "/resourceGroups/rg-apps/providers/Microsoft.ManagedIdentity/userAssignedIdentities/someone-else";
        var template = TemplateLoader.Parse(App(registryIdentity: other), "app.yaml");

        var error = Assert.Throws<TemplateException>(() => template.Bind(new Dictionary<string, JsonNode?>(), Target));

        Assert.Contains(error.Errors, e => e.ToString().Contains($"registries[0].identity: '{other}' is not the template's identity", StringComparison.Ordinal));
    }

    [Fact]
    public void A_password_registry_an_identity_on_the_workload_and_an_image_from_an_unlisted_registry_are_each_refused()
    {
        var text = App(
            registry: "        - { server: myacr.azurecr.io, username: u, passwordSecretRef: p, identity: system }",
            image: "otheracr.azurecr.io/web:1.0",
            extra: "  identity: { type: SystemAssigned }",
            identity: "identity: { type: SystemAssigned }");

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(text, "app.yaml"));

        var messages = error.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.Contains("registries[0]: uses a user name and password. Fix: pull with an identity", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("workload.identity: is set by the run from the template's 'identity'", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("template.containers[0].image: 'otheracr.azurecr.io/web:1.0' is in the registry 'otheracr.azurecr.io', which 'configuration.registries' does not list", StringComparison.Ordinal));
    }

    [Fact]
    public void An_app_without_containers_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(App(containers: "      containers: []"), "app.yaml"));

        Assert.Contains(error.Errors, e => e.ToString().Contains("workload.properties.template.containers: is empty. Fix: add at least one container", StringComparison.Ordinal));
    }

    private static string App(
        string name = "name: web-app",
        string identity = "identity: { name: app-puller }",
        string environment = $"    managedEnvironmentId: {EnvironmentId}",
        string registryIdentity = IdentityId,
        string? registry = null,
        string image = "myacr.azurecr.io/web:1.0",
        string? containers = null,
        string extra = "") => string.Join('\n', new[]
    {
        identity,
        "grants:",
        "  - role: AcrPull",
        $"    scope: {Subscription}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/myacr",
        "workload:",
        "  type: Microsoft.App/containerApps",
        $"  {name}",
        "  location: westeurope",
        extra,
        "  properties:",
        environment,
        "    configuration:",
        "      registries:",
        registry ?? $"        - {{ server: myacr.azurecr.io, identity: \"{registryIdentity}\" }}",
        "    template:",
        containers ?? $"      containers: [ {{ name: web, image: {image} }} ]",
    }.Where(line => line.Length > 0));

    private static string SamplePath(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "templates", file);
            if (File.Exists(candidate) && File.Exists(Path.Combine(directory.FullName, "rules.yaml")))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"The repository's templates/{file} was not found above {AppContext.BaseDirectory}.");
    }
}
