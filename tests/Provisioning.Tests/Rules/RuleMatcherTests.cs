using Provisioning.Rules;
using Provisioning.Rules.Loading;
using Provisioning.Rules.Matching;

namespace Provisioning.Tests.Rules;

public sealed class RuleMatcherTests
{
    private const string Settings = "00000000-0000-0000-0000-0000000000aa";
    private const string RegistrySubscription = "00000000-0000-0000-0000-0000000000bb";

    private static readonly RuleMatcher Matcher = new(RuleLoader.Parse(
        """
        rules:
          - name: web-release
            on: ImagePushed
            registry: myregistry
            repository: web
            tag: "v*"
            template: web
            resourceGroup: rg-web
            location: westeurope
            parameters: { cpu: 2 }
          - name: any-team-image
            on: ImagePushed
            registry: "*.azurecr.io"
            repository: "team/*"
            template: worker
            resourceGroup: rg-team
            subscriptionId: 00000000-0000-0000-0000-0000000000cc
            imageParameter: workerImage
          - name: tagged
            on: ResourceGroupWritten
            resourceGroup: "app-*"
            templates: "w*"
          - name: forget
            on: ResourceGroupDeleted
          - name: forget-apps
            on: ResourceGroupDeleted
            resourceGroup: "app-*"
        """,
        "rules.yaml",
        Settings,
        null));

    private static ImagePushedEvent Push(string repository, string? tag, string registry = "myregistry", string loginServer = "myregistry.azurecr.io", string id = "e1")
        => new(id, $"/subscriptions/{RegistrySubscription}/resourceGroups/rg-acr/providers/Microsoft.ContainerRegistry/registries/{registry}", registry, RegistrySubscription, loginServer, repository, tag);

    [Fact]
    public void A_push_matching_a_rule_starts_its_template_with_the_image_bound()
    {
        var start = Assert.IsType<StartRun>(Assert.Single(Matcher.Match(Push("web", "v1.2"))));

        Assert.Equal(("web-release", "web", Settings, "rg-web", "westeurope"), (start.Rule, start.Template, start.Target.SubscriptionId, start.Target.ResourceGroupName, start.Target.Location));
        Assert.Equal("myregistry.azurecr.io/web:v1.2", (string?)start.Parameters["image"]);
        Assert.Equal(2, start.Parameters["cpu"]!.GetValue<long>());
        Assert.Equal(new RunCause("e1", Push("web", "v1.2").Source, null), start.Cause);
        Assert.StartsWith($"{Settings}:rg-web:web-front:", start.InstanceIdFor("Web-Front"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web", "latest")]
    [InlineData("api", "v1")]
    [InlineData("web", null)]
    public void A_push_no_rule_wants_decides_nothing(string repository, string? tag)
        => Assert.Empty(Matcher.Match(Push(repository, tag)));

    [Fact]
    public void The_registry_pattern_matches_the_login_server_too_and_the_rule_subscription_wins()
    {
        var start = Assert.IsType<StartRun>(Assert.Single(Matcher.Match(Push("team/api", "1.0", registry: "other", loginServer: "other.azurecr.io"))));

        Assert.Equal(("any-team-image", "00000000-0000-0000-0000-0000000000cc", null), (start.Rule, start.Target.SubscriptionId, start.Target.Location));
        Assert.Equal("other.azurecr.io/team/api:1.0", (string?)start.Parameters["workerImage"]);
        Assert.False(start.Parameters.ContainsKey("image"));
    }

    [Fact]
    public void Without_a_settings_subscription_a_push_deploys_into_the_registry_subscription()
    {
        var matcher = new RuleMatcher(RuleLoader.Parse("rules: [ { name: a, on: ImagePushed, registry: myregistry, repository: web, template: web, resourceGroup: rg } ]", "r.yaml", null, null));

        var start = Assert.IsType<StartRun>(Assert.Single(matcher.Match(Push("web", "1"))));

        Assert.Equal(RegistrySubscription, start.Target.SubscriptionId);
    }

    [Fact]
    public void The_same_event_gives_the_same_run_id_and_another_event_another()
    {
        var first = (StartRun)Matcher.Match(Push("web", "v1", id: "abc"))[0];
        var again = (StartRun)Matcher.Match(Push("web", "v1", id: "abc"))[0];
        var other = (StartRun)Matcher.Match(Push("web", "v1", id: "abd"))[0];

        Assert.Equal(first.InstanceIdFor("web"), again.InstanceIdFor("web"));
        Assert.NotEqual(first.InstanceIdFor("web"), other.InstanceIdFor("web"));
        Assert.NotEqual(first.InstanceIdFor("web"), first.InstanceIdFor("web2"));
    }

    [Fact]
    public void A_written_group_in_scope_asks_for_the_group_then_starts_the_tagged_template_in_its_location()
    {
        var written = new ResourceGroupWrittenEvent("e2", $"/subscriptions/{Settings}/resourceGroups/app-1", Settings, "app-1");
        var read = Assert.IsType<ReadTaggedGroup>(Assert.Single(Matcher.Match(written)));

        var start = Matcher.ResolveTaggedGroup(read, written, "westeurope", new Dictionary<string, string> { ["Provisioning/Template"] = "worker" });

        Assert.NotNull(start);
        Assert.Equal(("worker", "app-1", "westeurope"), (start.Template, start.Target.ResourceGroupName, start.Target.Location));
        Assert.StartsWith($"{Settings}:app-1:worker:", start.InstanceIdFor("worker"), StringComparison.Ordinal);
        Assert.Null(Matcher.ResolveTaggedGroup(read, written, "westeurope", new Dictionary<string, string>()));
        Assert.Null(Matcher.ResolveTaggedGroup(read, written, "westeurope", new Dictionary<string, string> { ["provisioning/template"] = "api" }));
        Assert.Empty(Matcher.Match(written with { ResourceGroup = "db-1" }));
    }

    [Fact]
    public void A_deleted_group_is_forgotten_once_even_when_two_rules_match()
    {
        var deleted = new ResourceGroupDeletedEvent("e3", $"/subscriptions/{Settings}/resourceGroups/App-1", Settings, "App-1");

        var forget = Assert.IsType<ForgetResourceGroup>(Assert.Single(Matcher.Match(deleted)));

        Assert.Equal($"{Settings}:app-1:", forget.InstanceIdPrefix);
    }

    [Fact]
    public void No_rules_decide_nothing()
        => Assert.Empty(new RuleMatcher(RuleSet.Empty).Match(Push("web", "v1")));
}
