using System.Text.Json.Nodes;
using Provisioning.Rules;
using Provisioning.Rules.Loading;

namespace Provisioning.Tests.Rules;

public sealed class RuleLoaderTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly string[] Templates = ["web", "worker"];

    [Fact]
    public void A_yaml_file_with_every_rule_form_loads()
    {
        const string yaml = """
            rules:
              - name: redeploy-web
                on: ImagePushed
                registry: myregistry
                repository: web
                tag: "v*"
                template: web
                resourceGroup: rg-web
                location: westeurope
                parameters:
                  cpu: 2
              - name: tagged-groups
                on: ResourceGroupWritten
                resourceGroup: "team-*"
              - name: forget-deleted
                on: resourceGroupDeleted
            """;

        var rules = RuleLoader.Parse(yaml, "rules.yaml", Subscription, Templates);

        Assert.Equal(Subscription, rules.DefaultSubscriptionId);
        var push = Assert.IsType<ImagePushedRule>(rules.Rules[0]);
        Assert.Equal(("myregistry", "web", "v*", "web", "rg-web", "image"), (push.Registry.Text, push.Repository.Text, push.Tag.Text, push.Template, push.ResourceGroup, push.ImageParameter));
        Assert.Equal(2, push.Parameters["cpu"]!.GetValue<long>());
        Assert.Equal("westeurope", push.Location);
        var tagged = Assert.IsType<ResourceGroupTaggedRule>(rules.Rules[1]);
        Assert.Equal(("team-*", "*"), (tagged.ResourceGroup.Text, tagged.Templates.Text));
        var deleted = Assert.IsType<ResourceGroupDeletedRule>(rules.Rules[2]);
        Assert.Equal("*", deleted.ResourceGroup.Text);
    }

    [Fact]
    public void A_json_file_loads_the_same_way()
    {
        const string json = """
            { "rules": [ { "name": "push", "on": "ImagePushed", "registry": "myregistry.azurecr.io", "repository": "team/*",
                           "template": "worker", "resourceGroup": "rg-workers", "imageParameter": "workerImage",
                           "subscriptionId": "00000000-0000-0000-0000-000000000002" } ] }
            """;

        var rule = Assert.IsType<ImagePushedRule>(Assert.Single(RuleLoader.Parse(json, "rules.json", null, Templates).Rules));

        Assert.Equal(("*", "workerImage", "00000000-0000-0000-0000-000000000002"), (rule.Tag.Text, rule.ImageParameter, rule.SubscriptionId));
        Assert.Empty(rule.Parameters);
    }

    [Theory]
    [InlineData("", "rules.yaml")]
    [InlineData("rules: []", "rules.yaml")]
    [InlineData("{}", "rules.json")]
    public void An_empty_file_has_no_rules(string text, string file)
        => Assert.Empty(RuleLoader.Parse(text, file, null, Templates).Rules);

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "rules.yaml", "rules: [", "rules.yaml: (document): is not valid YAML" },
        { "rules.json", "{ \"rules\": [ }", "rules.json: (document): is not valid JSON (line 1" },
        { "rules.txt", "rules: []", "rules.txt: (file): '.TXT' is not a rules format. Fix: name the file *.yaml, *.yml or *.json." },
        { "rules.yaml", "- a\n- b", "rules.yaml: (document): is not a mapping" },
        { "rules.yaml", "rule: []", "rules.yaml: rule: is not a field here. Fix: remove it; the fields are rules." },
        { "rules.yaml", "rules: {}", "rules.yaml: rules: is not a list" },
        { "rules.yaml", "rules: [ 3 ]", "rules.yaml: rules[0]: is not a mapping" },
        { "rules.yaml", "rules: [ { on: ImagePushed } ]", "rules.yaml: rules[0].name: is missing. Fix: add 'name', e.g. 'redeploy-web'." },
        { "rules.yaml", "rules: [ { name: a } ]", "rules.yaml: rules[0].on: is missing. Fix: add 'on', e.g. ImagePushed, ResourceGroupWritten, ResourceGroupDeleted." },
        { "rules.yaml", "rules: [ { name: a, on: ImageDeleted } ]", "rules.yaml: rules[0].on: 'ImageDeleted' is not an event the rules react to. Fix: use one of ImagePushed, ResourceGroupWritten, ResourceGroupDeleted." },
        { "rules.yaml", "rules: [ { name: '-a', on: ResourceGroupDeleted } ]", "rules.yaml: rules[0].name: '-a' is not a usable rule name" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, repository: web, template: web, resourceGroup: rg } ]", "rules.yaml: rules[0].registry: is missing" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, template: web, resourceGroup: rg } ]", "rules.yaml: rules[0].repository: is missing" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, resourceGroup: rg } ]", "rules.yaml: rules[0].template: is missing" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: web } ]", "rules.yaml: rules[0].resourceGroup: is missing" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: api, resourceGroup: rg } ]", "rules.yaml: rules[0].template: there is no template named 'api'. Fix: use one of web, worker." },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: web, resourceGroup: 'rg.' } ]", "rules.yaml: rules[0].resourceGroup: 'rg.' ends with '.'" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: web, resourceGroup: 'rg:x' } ]", "rules.yaml: rules[0].resourceGroup: 'rg:x' is not a resource group name" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: web, resourceGroup: rg, subscriptionId: sub } ]", "rules.yaml: rules[0].subscriptionId: 'sub' is not a subscription id" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: web, resourceGroup: rg, parameters: [1] } ]", "rules.yaml: rules[0].parameters: is not a mapping" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: web, resourceGroup: rg, parameters: { image: x } } ]", "rules.yaml: rules[0].parameters.image: 'image' receives the pushed image" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: 'we b', template: web, resourceGroup: rg } ]", "rules.yaml: rules[0].repository: 'we b' contains whitespace" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: 3, repository: web, template: web, resourceGroup: rg } ]", "rules.yaml: rules[0].registry: is not a non-empty string" },
        { "rules.yaml", "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: web, resourceGroup: rg, Tag: v1 } ]", "rules.yaml: rules[0].Tag: is not a field here. Fix: write it as 'tag'." },
        { "rules.yaml", "rules: [ { name: a, on: ResourceGroupDeleted, template: web } ]", "rules.yaml: rules[0].template: is not a field here" },
        { "rules.yaml", "rules: [ { name: a, on: ResourceGroupWritten, templates: api } ]", "rules.yaml: rules[0].templates: there is no template named 'api'" },
        { "rules.yaml", "rules: [ { name: a, on: ResourceGroupDeleted }, { name: A, on: ResourceGroupDeleted } ]", "rules.yaml: rules[1].name: the rule name 'A' is used twice" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_file_is_refused_naming_file_field_and_fix(string file, string text, string expected)
    {
        var error = Assert.Throws<RuleException>(() => RuleLoader.Parse(text, file, Subscription, Templates));

        Assert.Contains(error.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
        Assert.All(error.Errors, e => Assert.False(string.IsNullOrEmpty(e.Fix)));
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        const string yaml = """
            rules:
              - name: a
                on: ImagePushed
              - name: b
                on: Nope
            """;

        var error = Assert.Throws<RuleException>(() => RuleLoader.Parse(yaml, "rules.yaml", null, Templates));

        Assert.Equal(
            ["rules[0].registry", "rules[0].repository", "rules[0].template", "rules[0].resourceGroup", "rules[1].on"],
            error.Errors.Select(e => e.Path));
    }

    [Fact]
    public void A_default_subscription_that_is_not_a_guid_is_refused()
    {
        var error = Assert.Throws<RuleException>(() => RuleLoader.Parse("rules: []", "rules.yaml", "my-sub", Templates));

        Assert.Equal("rules.yaml: (settings) Provisioning:SubscriptionId: 'my-sub' is not a subscription id. Fix: set a GUID such as 00000000-0000-0000-0000-000000000000.", Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public async Task A_file_on_disk_loads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rules-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, "rules:\n  - name: gone\n    on: ResourceGroupDeleted\n");
        try
        {
            var rules = await RuleLoader.LoadFileAsync(path, null, null);
            Assert.IsType<ResourceGroupDeletedRule>(Assert.Single(rules.Rules));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parameters_keep_their_json_types()
    {
        var rule = (ImagePushedRule)RuleLoader.Parse(
            "rules: [ { name: a, on: ImagePushed, registry: r, repository: web, template: web, resourceGroup: rg, parameters: { cpu: 1.5, on: true, label: 'x' } } ]",
            "rules.yaml", null, null).Rules[0];

        Assert.Equal(System.Text.Json.JsonValueKind.Number, rule.Parameters["cpu"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.True, rule.Parameters["on"]!.GetValueKind());
        Assert.Equal("x", (string?)rule.Parameters["label"]);
        Assert.IsAssignableFrom<JsonNode>(rule.Parameters["label"]);
    }
}
