namespace Provisioning.Templates.Binding;

/// <summary>Where a template is deployed: what <c>resourceGroup()</c>, <c>subscription()</c> and <c>resourceId()</c> read.</summary>
/// <param name="SubscriptionId">The subscription id.</param>
/// <param name="ResourceGroupName">The resource group the identity and the workload go into.</param>
/// <param name="Location">The resource group's region (for <c>[resourceGroup().location]</c>), or null when unknown.</param>
public sealed record TemplateTarget(string SubscriptionId, string ResourceGroupName, string? Location = null);
