using System.Text.Json.Nodes;
using Provisioning.Templates.Binding;

namespace Provisioning.Rules.Matching;

/// <summary>What a rule decided for an event.</summary>
/// <param name="Rule">The rule's name.</param>
public abstract record RuleDecision(string Rule);

/// <summary>Start a run of <paramref name="Template"/> into <paramref name="Target"/> with the id <paramref name="InstanceId"/>.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Template">The template.</param>
/// <param name="Target">Where.</param>
/// <param name="Parameters">The parameter values.</param>
/// <param name="InstanceId">The run's id (see <see cref="RunIds"/>): one event starts at most one run per target and template.</param>
public sealed record StartRun(
    string Rule, string Template, TemplateTarget Target, IReadOnlyDictionary<string, JsonNode?> Parameters, string InstanceId) : RuleDecision(Rule);

/// <summary>
/// Read the resource group (its tags and location are not in the event), then ask
/// <see cref="RuleMatcher.ResolveTaggedGroup"/> what to start.
/// </summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="SubscriptionId">The group's subscription.</param>
/// <param name="ResourceGroup">The group's name.</param>
public sealed record ReadTaggedGroup(string Rule, string SubscriptionId, string ResourceGroup) : RuleDecision(Rule);

/// <summary>End (terminate) and forget (purge) every run whose id starts with <see cref="RunIds.ResourceGroupPrefix"/> of the group.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="SubscriptionId">The group's subscription.</param>
/// <param name="ResourceGroup">The group's name.</param>
public sealed record ForgetResourceGroup(string Rule, string SubscriptionId, string ResourceGroup) : RuleDecision(Rule)
{
    /// <summary>The instance id prefix of the group's runs.</summary>
    public string InstanceIdPrefix => RunIds.ResourceGroupPrefix(SubscriptionId, ResourceGroup);
}
