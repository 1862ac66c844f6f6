using Provisioning.Plan;

namespace Provisioning.Requests;

/// <summary>What a plan request came to: the plan, or the problem to answer with.</summary>
/// <param name="Plan">What a run would create, change or leave; null when <paramref name="Problem"/> is set.</param>
/// <param name="Problem">Why there is no plan, or null.</param>
public sealed record PlanOutcome(ProvisioningPlan? Plan, RequestProblem? Problem);
