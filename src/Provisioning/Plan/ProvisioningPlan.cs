namespace Provisioning.Plan;

/// <summary>What a run of a template with these parameters would do, read from ARM without changing anything.</summary>
/// <param name="Template">The template.</param>
/// <param name="Items">The identity, each grant and the workload, in the order a run handles them.</param>
public sealed record ProvisioningPlan(string Template, IReadOnlyList<PlanItem> Items);
