using System.Text.Json.Nodes;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Workloads.GrantOnly;

public sealed class GrantOnlyTemplateTests
{
    private const string Subscription = "00000000-0000-0000-0000-00000000aaaa";
    private static readonly TemplateTarget Target = new(Subscription, "rg-vms", "westeurope");

    [Fact]
    public async Task The_sample_binds_to_the_VMs_system_identity_with_no_identity_for_the_run_to_create()
    {
        var template = await TemplateLoader.LoadFileAsync(SamplePath("vm-grant.yaml"));

        var resolved = template.Bind(new Dictionary<string, JsonNode?> { ["vmName"] = "build-agent", ["registryName"] = "sandboxacr" }, Target);

        Assert.Null(resolved.Identity);
        Assert.Equal("Microsoft.Compute/virtualMachines", resolved.Workload.Kind);
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/rg-vms/providers/Microsoft.Compute/virtualMachines/build-agent", resolved.Workload.ResourceId.ToString());
        Assert.Equal("system", resolved.Workload.Body["principal"]!.GetValue<string>());
        var grant = Assert.Single(resolved.Grants);
        Assert.Equal("AcrPull", grant.RoleName);
        Assert.EndsWith("/registries/sandboxacr", grant.Scope.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_identity_in_another_resource_group_is_the_target()
    {
        var template = TemplateLoader.Parse(Grant("""
              type: Microsoft.ManagedIdentity/userAssignedIdentities
              name: ci-runner
              resourceGroup: rg-identities
            """), "grant.yaml");

        var resolved = template.Bind(new Dictionary<string, JsonNode?>(), Target);

        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/rg-identities/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ci-runner", resolved.Workload.ResourceId.ToString());
        Assert.Null(resolved.Identity);
    }

    [Fact]
    public void A_user_assigned_template_identity_is_refused_because_the_run_would_create_it()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Grant(VmWorkload, identity: "identity: { name: vm-puller }"), "grant.yaml"));

        Assert.Contains(error.Errors, e => e.ToString() ==
            "grant.yaml: identity: a grant-only run grants to the target's own principal and creates no identity. Fix: write 'identity: { type: SystemAssigned }' (meaning: the target's principal) and name the target in 'workload'.");
    }

    [Fact]
    public void Deployable_fields_and_a_principal_that_is_not_an_identity_are_each_refused_with_the_fix()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Grant("""
              type: Microsoft.Compute/virtualMachines
              name: build-agent
              location: westeurope
              properties: {}
              principal: /subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr
              size: large
            """), "grant.yaml"));

        var messages = error.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains("grant.yaml: workload.location: a grant-only run deploys nothing, so the target has no 'location' here. Fix: remove it; the workload only names the existing VM (name, resourceGroup, principal).", messages);
        Assert.Contains(messages, m => m.StartsWith("grant.yaml: workload.properties: a grant-only run deploys nothing", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("grant.yaml: workload.principal: '/subscriptions/", StringComparison.Ordinal) && m.Contains("is a Microsoft.ContainerRegistry/registries, not a user-assigned identity", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("grant.yaml: workload.size: is not a field this template shape supports", StringComparison.Ordinal));
        Assert.Equal(4, messages.Count);
    }

    [Theory]
    [InlineData("build-agent-", "workload.name: 'build-agent-' is not a virtual machine name")]
    [InlineData("a b", "workload.name: 'a b' is not a virtual machine name")]
    public void A_VM_name_azure_would_refuse_is_named(string name, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Grant($"""
              type: Microsoft.Compute/virtualMachines
              name: "{name}"
            """), "grant.yaml"));

        Assert.Contains(error.Errors, e => e.ToString().StartsWith("grant.yaml: " + expected, StringComparison.Ordinal));
    }

    private const string VmWorkload = """
          type: Microsoft.Compute/virtualMachines
          name: build-agent
        """;

    private static string Grant(string workload, string identity = "identity: { type: SystemAssigned }") => $"""
        {identity}
        grants:
          - role: AcrPull
            scope: /subscriptions/00000000-0000-0000-0000-00000000aaaa/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr
        workload:
        {workload}
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
