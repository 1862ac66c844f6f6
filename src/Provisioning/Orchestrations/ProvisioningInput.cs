using Provisioning.Templates.Binding;

namespace Provisioning.Orchestrations;

/// <summary>What a <see cref="ProvisionWorkload"/> run provisions.</summary>
/// <param name="Template">The bound template: identity, grants and workload, every value resolved, secrets encrypted.</param>
/// <param name="Timings">Waits and deadlines; <c>null</c> for the defaults.</param>
/// <param name="Lane">The lane whose runs take turns on the same workload; <c>null</c> for a run outside any lane (started with its own id).</param>
public sealed record ProvisioningInput(ResolvedTemplate Template, ProvisioningTimings? Timings = null, DeploymentLane? Lane = null);
