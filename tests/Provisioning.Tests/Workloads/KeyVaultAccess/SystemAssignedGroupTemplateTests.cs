using System.Text.Json.Nodes;
using Provisioning.Templates;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Workloads.KeyVaultAccess;

/// <summary>
/// A container group whose only identity is its system-assigned one (<c>identity: { type: SystemAssigned }</c>): it loads
/// when nothing has to be pulled with an identity, and is refused, with the fix, when something would be (ACI pulls from a
/// registry only with a user-assigned identity).
/// </summary>
public sealed class SystemAssignedGroupTemplateTests
{
    private const string Subscription = "00000000-0000-0000-0000-00000000aaaa";
    private const string VaultId = $"/subscriptions/{Subscription}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1";
    private const string IdentityId = $"/subscriptions/{Subscription}/resourceGroups/rg-web/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller";
    private const string Fix = "Fix: give the template a user-assigned identity ('identity: { name: ... }' at the top) and write 'identity: { type: \"SystemAssigned, UserAssigned\" }' under 'workload', so the user-assigned one pulls; or pull a public image without a credential.";
    private static readonly TemplateTarget Target = new(Subscription, "rg-web", "westeurope");

    [Fact]
    public void A_public_image_binds_to_a_group_with_only_its_system_assigned_identity_and_no_identity_to_ensure()
    {
        var resolved = TemplateLoader.Parse(Group(), "web.yaml").Bind(new Dictionary<string, JsonNode?>(), Target);

        Assert.Null(resolved.Identity);
        Assert.Equal("""{"type":"SystemAssigned"}""", resolved.Workload.Body["identity"]!.ToJsonString());
        Assert.Equal(VaultId, resolved.Workload.KeyVault!.VaultId.ToString());
        Assert.Equal("Reader", Assert.Single(resolved.Grants).RoleName);
    }

    [Fact]
    public void Writing_SystemAssigned_under_workload_too_is_the_same_group()
    {
        var resolved = TemplateLoader.Parse(Group(workloadIdentity: "  identity: { type: SystemAssigned }"), "web.yaml").Bind(new Dictionary<string, JsonNode?>(), Target);

        Assert.Equal("""{"type":"SystemAssigned"}""", resolved.Workload.Body["identity"]!.ToJsonString());
    }

    [Fact]
    public void A_registry_credential_with_an_identity_is_refused_at_load_with_the_fix()
    {
        var text = Group(
            image: "myregistry.azurecr.io/web:1.0",
            credentials: $"""
                    imageRegistryCredentials:
                      - server: myregistry.azurecr.io
                        identity: {IdentityId}
                """);

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(text, "web.yaml"));

        Assert.Equal(
            [$"web.yaml: workload.properties.imageRegistryCredentials[0].identity: the group's only identity is its system-assigned one, and Azure Container Instances pulls from a registry only with a user-assigned identity. {Fix}"],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_credential_naming_the_identity_by_expression_is_refused_the_same_way()
    {
        var text = Group(
            image: "myregistry.azurecr.io/web:1.0",
            credentials: """
                    imageRegistryCredentials:
                      - server: myregistry.azurecr.io
                        identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'web-puller')]"
                """);

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(text, "web.yaml"));

        Assert.Equal(
            [$"web.yaml: workload.properties.imageRegistryCredentials[0].identity: the group's only identity is its system-assigned one, and Azure Container Instances pulls from a registry only with a user-assigned identity. {Fix}"],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_username_and_password_credential_is_refused_as_for_any_group_with_the_system_only_fix()
    {
        var text = Group(
            image: "myregistry.azurecr.io/web:1.0",
            credentials: """
                    imageRegistryCredentials:
                      - server: myregistry.azurecr.io
                        username: myregistry
                        password: secret
                """);

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(text, "web.yaml"));

        Assert.Equal(
            [$"web.yaml: workload.properties.imageRegistryCredentials[0]: uses a username/password. Fix: pulls here use a managed identity, never a stored secret: {Fix["Fix: ".Length..]}"],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_registry_image_without_a_credential_names_the_user_assigned_identity_as_the_fix()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Group(image: "myregistry.azurecr.io/web:1.0"), "web.yaml"));

        Assert.Equal(
            ["web.yaml: workload.properties.containers[0].properties.image: the image comes from 'myregistry.azurecr.io' but no imageRegistryCredentials entry is for that server. Fix: pull it with a user-assigned identity: give the template one ('identity: { name: ... }' at the top), write 'identity: { type: \"SystemAssigned, UserAssigned\" }' under 'workload' and add { server: myregistry.azurecr.io, identity: <that identity> } to 'imageRegistryCredentials'."],
            error.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("UserAssigned", "'UserAssigned' needs a user-assigned identity, but the template's identity is the group's system-assigned one. Fix: use 'SystemAssigned' (or leave 'workload.identity' out), or give the template a user-assigned identity ('identity: { name: ... }').")]
    [InlineData("\"SystemAssigned, UserAssigned\"", "'SystemAssigned, UserAssigned' needs a user-assigned identity, but the template's identity is the group's system-assigned one. Fix: use 'SystemAssigned' (or leave 'workload.identity' out), or give the template a user-assigned identity ('identity: { name: ... }').")]
    [InlineData("None", "'None' leaves out the group's system-assigned identity, the template's identity. Fix: use 'SystemAssigned' (or leave 'workload.identity' out).")]
    public void A_workload_identity_type_other_than_the_templates_is_refused(string type, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Group(workloadIdentity: $"  identity: {{ type: {type} }}"), "web.yaml"));

        Assert.Equal(["web.yaml: workload.identity.type: " + expected], error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_Windows_group_cannot_have_only_a_system_assigned_identity()
    {
        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(Group(osType: "Windows"), "web.yaml"));

        Assert.Equal(
            ["web.yaml: identity.type: Windows container groups support only a user-assigned identity. Fix: use osType 'Linux', or give the template a user-assigned identity ('identity: { name: ... }') for a Windows group."],
            error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_group_with_a_user_assigned_template_identity_still_cannot_drop_it()
    {
        var text = Group(identity: "identity: { name: web-puller }", workloadIdentity: "  identity: { type: SystemAssigned }");

        var error = Assert.Throws<TemplateException>(() => TemplateLoader.Parse(text, "web.yaml"));

        Assert.StartsWith(
            "web.yaml: workload.identity.type: 'SystemAssigned' leaves out the template's user-assigned identity, which pulls the images. Fix: use 'UserAssigned' or 'SystemAssigned, UserAssigned'",
            Assert.Single(error.Errors).ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sample_binds_to_a_system_assigned_group_with_vault_access_and_no_registry_credential()
    {
        var template = await TemplateLoader.LoadFileAsync(SamplePath("keyvault-web-system.yaml"));

        var resolved = template.Bind(new Dictionary<string, JsonNode?> { ["vaultName"] = "sandbox-kv" }, Target);

        Assert.Null(resolved.Identity);
        Assert.Equal("SystemAssigned", resolved.Workload.Body["identity"]!["type"]!.GetValue<string>());
        Assert.Null(resolved.Workload.Body["properties"]!["imageRegistryCredentials"]);
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/rg-web/providers/Microsoft.KeyVault/vaults/sandbox-kv", resolved.Workload.KeyVault!.VaultId.ToString());
    }

    private static string Group(
        string identity = "identity: { type: SystemAssigned }",
        string workloadIdentity = "",
        string image = "mcr.microsoft.com/azuredocs/aci-helloworld:latest",
        string credentials = "",
        string osType = "Linux") => $$"""
        {{identity}}
        grants:
          - role: Reader
            scope: /subscriptions/{{Subscription}}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1
        workload:
          name: web
        {{workloadIdentity}}
          keyVault: { id: {{VaultId}} }
          location: westeurope
          properties:
            containers:
              - name: web
                properties:
                  image: {{image}}
                  resources: { requests: { cpu: 1, memoryInGB: 1 } }
        {{credentials}}
            osType: {{osType}}
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
