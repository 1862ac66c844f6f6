using System.Text.Json.Nodes;
using Provisioning.Templates.Binding;

namespace Provisioning.Rules.Matching;

/// <summary>
/// Decides, without I/O, what the rules do with an event: every matching rule gives one decision, in file order;
/// identical decisions (the same run for the same event, the same group to forget) are given once. No decision means the event is
/// acknowledged and nothing happens.
/// </summary>
public sealed class RuleMatcher(RuleSet rules)
{
    /// <summary>The rules matched against.</summary>
    public RuleSet Rules => rules;

    /// <summary>The decisions for an event.</summary>
    /// <param name="ruleEvent">The event.</param>
    public IReadOnlyList<RuleDecision> Match(RuleEvent ruleEvent)
    {
        ArgumentNullException.ThrowIfNull(ruleEvent);
        var decisions = new List<RuleDecision>();
        foreach (var rule in rules.Rules)
        {
            RuleDecision? decision = (rule, ruleEvent) switch
            {
                (ImagePushedRule r, ImagePushedEvent e) => MatchPush(r, e),
                (ResourceGroupTaggedRule r, ResourceGroupWrittenEvent e) when InScope(r.SubscriptionId, r.ResourceGroup, e.SubscriptionId, e.ResourceGroup)
                    => new ReadTaggedGroup(r.Name, e.SubscriptionId, e.ResourceGroup),
                (ResourceGroupDeletedRule r, ResourceGroupDeletedEvent e) when InScope(r.SubscriptionId, r.ResourceGroup, e.SubscriptionId, e.ResourceGroup)
                    => new ForgetResourceGroup(r.Name, e.SubscriptionId, e.ResourceGroup),
                _ => null,
            };
            if (decision is not null && !decisions.Any(d => SameEffect(d, decision)))
            {
                decisions.Add(decision);
            }
        }

        return decisions;
    }

    /// <summary>
    /// What a tagged-group rule starts once the group has been read: the template its
    /// <c>provisioning/template</c> tag names, in the group's location; null when the tag is absent, empty or not
    /// one the rule honours.
    /// </summary>
    /// <param name="decision">The decision that asked for the group.</param>
    /// <param name="ruleEvent">The event.</param>
    /// <param name="location">The group's location.</param>
    /// <param name="tags">The group's tags.</param>
    public StartRun? ResolveTaggedGroup(ReadTaggedGroup decision, ResourceGroupWrittenEvent ruleEvent, string location, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(ruleEvent);
        ArgumentNullException.ThrowIfNull(tags);
        var rule = rules.Rules.OfType<ResourceGroupTaggedRule>().FirstOrDefault(r => r.Name == decision.Rule)
            ?? throw new ArgumentException($"There is no resource group rule named '{decision.Rule}'.", nameof(decision));

        // Tag names ignore case in Azure; values keep it.
        var template = tags.FirstOrDefault(t => t.Key.Equals(ResourceGroupTaggedRule.TemplateTag, StringComparison.OrdinalIgnoreCase)).Value?.Trim();
        if (string.IsNullOrEmpty(template) || !rule.Templates.IsMatch(template))
        {
            return null;
        }

        var target = new TemplateTarget(decision.SubscriptionId, decision.ResourceGroup, location);
        return new StartRun(
            rule.Name,
            template,
            target,
            Copy(rule.Parameters),
            new RunCause(ruleEvent.Id, ruleEvent.Source, ruleEvent.Time));
    }

    private StartRun? MatchPush(ImagePushedRule rule, ImagePushedEvent e)
    {
        if (e.Tag is null
            || !(rule.Registry.IsMatch(e.RegistryName) || rule.Registry.IsMatch(e.LoginServer))
            || !rule.Repository.IsMatch(e.Repository)
            || !rule.Tag.IsMatch(e.Tag))
        {
            return null;
        }

        var subscription = rule.SubscriptionId ?? rules.DefaultSubscriptionId ?? e.SubscriptionId;
        if (subscription is null)
        {
            return null;
        }

        var parameters = Copy(rule.Parameters);
        parameters[rule.ImageParameter] = JsonValue.Create(e.Image);
        return new StartRun(
            rule.Name,
            rule.Template,
            new TemplateTarget(subscription, rule.ResourceGroup, rule.Location),
            parameters,
            new RunCause(e.Id, e.Source, e.Time));
    }

    private static bool InScope(string? ruleSubscription, GlobPattern ruleGroup, string subscription, string group)
        => (ruleSubscription is null || ruleSubscription.Equals(subscription, StringComparison.OrdinalIgnoreCase)) && ruleGroup.IsMatch(group);

    private static bool SameEffect(RuleDecision a, RuleDecision b) => (a, b) switch
    {
        (StartRun x, StartRun y) => x.Template == y.Template && x.Target == y.Target && x.Cause == y.Cause && SameParameters(x.Parameters, y.Parameters),
        (ReadTaggedGroup x, ReadTaggedGroup y) => x.Rule == y.Rule,
        (ForgetResourceGroup x, ForgetResourceGroup y) => x.InstanceIdPrefix == y.InstanceIdPrefix,
        _ => false,
    };

    private static bool SameParameters(IReadOnlyDictionary<string, JsonNode?> a, IReadOnlyDictionary<string, JsonNode?> b)
        => a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && JsonNode.DeepEquals(p.Value, other));

    private static Dictionary<string, JsonNode?> Copy(IReadOnlyDictionary<string, JsonNode?> parameters)
        => parameters.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal);
}
