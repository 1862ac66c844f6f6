using System.Text.Json.Nodes;
using Provisioning.Templates.Binding;

namespace Provisioning.Rules.Matching;

/// <summary>What a rule decided for an event.</summary>
/// <param name="Rule">The rule's name.</param>
public abstract record RuleDecision(string Rule);

/// <summary>Start a run of <paramref name="Template"/> into <paramref name="Target"/> for the event <paramref name="Cause"/>.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Template">The template.</param>
/// <param name="Target">Where.</param>
/// <param name="Parameters">The parameter values.</param>
/// <param name="Cause">The event; with the workload the bound template deploys it makes the run's id (see <see cref="RunIds"/>).</param>
public sealed record StartRun(
    string Rule, string Template, TemplateTarget Target, IReadOnlyDictionary<string, JsonNode?> Parameters, RunCause Cause) : RuleDecision(Rule)
{
    /// <summary>The run's id once binding has named the container group it deploys: one event starts at most one run per workload.</summary>
    /// <param name="workload">The container group's name.</param>
    public string InstanceIdFor(string workload) => RunIds.For(Target.SubscriptionId, Target.ResourceGroupName, workload, Cause);

    /// <summary>The id prefix of every event-started run that deploys <paramref name="workload"/>: the run's lane.</summary>
    /// <param name="workload">The container group's name.</param>
    public string LaneFor(string workload) => RunIds.WorkloadPrefix(Target.SubscriptionId, Target.ResourceGroupName, workload);
}

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
