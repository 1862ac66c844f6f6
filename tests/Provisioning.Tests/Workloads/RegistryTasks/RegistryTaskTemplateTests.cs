using System.Text;
using System.Text.Json.Nodes;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Workloads.RegistryTasks;

public sealed class RegistryTaskTemplateTests
{
    private static readonly TemplateTarget Target = new("00000000-0000-0000-0000-00000000aaaa", "rg-build", "westeurope");

    [Fact]
    public async Task The_sample_build_task_binds_to_a_task_with_its_system_identity_and_the_base_registry_grant()
    {
        var template = await TemplateLoader.LoadFileAsync(SamplePath("build-task.yaml"));

        var resolved = template.Bind(new Dictionary<string, JsonNode?>(), Target);

        Assert.Null(resolved.Identity);
        Assert.Equal("Microsoft.ContainerRegistry/registries/tasks", resolved.Workload.Kind);
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg-build/providers/Microsoft.ContainerRegistry/registries/sandboxacr/tasks/build-app", resolved.Workload.ResourceId.ToString());
        Assert.EndsWith("/registries/sandboxbaseacr", Assert.Single(resolved.Grants).Scope.ToString(), StringComparison.Ordinal);
        var properties = resolved.Workload.Body["properties"]!;
        var encoded = properties["step"]!["encodedTaskContent"]!.GetValue<string>();
        Assert.Equal("steps:\n  - cmd: sandboxbaseacr.azurecr.io/base/runtime:1.0 echo built on the base image\n", Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        Assert.Equal("[system]", properties["credentials"]!["customRegistries"]!["sandboxbaseacr.azurecr.io"]!["identity"]!.GetValue<string>());
        Assert.Equal("westeurope", resolved.Workload.Location);
    }

    [Theory]
    [InlineData("name: build-app", "workload.name: 'build-app' is not '{registry}/{task}'")]
    [InlineData("name: myregistry/abc", "workload.name: 'abc' is not a task name")]
    [InlineData("name: my-registry/build-app", "workload.name: 'my-registry' is not a registry name")]
    public void A_task_name_azure_would_refuse_is_named_with_the_fix(string name, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Task(name: name), "task.yaml"));

        Assert.Contains(error.Errors, e => e.ToString().StartsWith("task.yaml: " + expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_system_identity_in_custom_registries_with_a_user_assigned_template_identity_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Task(identity: "identity: { name: task-puller }"), "task.yaml"));

        Assert.Equal(
            "task.yaml: workload.properties.credentials.customRegistries.baseregistry.azurecr.io.identity: names the task's system-assigned identity, but the template's identity is user-assigned. Fix: write 'identity: { type: SystemAssigned }' at the top of the template, or name the user-assigned identity here.",
            Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public void A_step_without_its_content_a_password_credential_and_an_identity_on_the_workload_are_each_refused()
    {
        var text = Task(step: "{ type: EncodedTask }", registryEntry: "{ userName: u, password: p, identity: system }", extra: "  identity: { type: SystemAssigned }");

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(text, "task.yaml"));

        var messages = error.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, m => m.Contains("workload.properties.step.encodedTaskContent: is missing", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("uses a user name and password", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("workload.identity: is set by the run from the template's 'identity'", StringComparison.Ordinal));
    }

    [Fact]
    public void Content_that_is_not_base64_is_refused()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Task(step: "{ type: EncodedTask, encodedTaskContent: 'steps: plain text' }"), "task.yaml"));

        Assert.Contains(error.Errors, e => e.ToString().Contains("encodedTaskContent: is not base64", StringComparison.Ordinal));
    }

    private static string Task(
        string name = "name: myregistry/build-app",
        string identity = "identity: { type: SystemAssigned }",
        string step = "{ type: EncodedTask, encodedTaskContent: c3RlcHM6IFtd }",
        string registryEntry = "{ identity: system }",
        string extra = "") => $"""
        {identity}
        grants:
          - role: AcrPull
            scope: /subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/baseregistry
        workload:
          type: Microsoft.ContainerRegistry/registries/tasks
          {name}
          location: westeurope
        {extra}
          properties:
            platform: {"{"} os: Linux {"}"}
            step: {step}
            credentials:
              customRegistries:
                baseregistry.azurecr.io: {registryEntry}
        """;

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
