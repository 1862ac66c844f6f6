using Provisioning.Templates.Binding;

namespace Provisioning.Orchestrations;

/// <summary>What a <see cref="ProvisionContainerGroup"/> run provisions.</summary>
/// <param name="Template">The bound template: identity, grants and container group, every value resolved.</param>
/// <param name="Timings">Waits and deadlines; <c>null</c> for the defaults.</param>
/// <param name="Lane">For runs started by events: the lane whose runs take turns on the same container group; <c>null</c> for runs started by hand.</param>
public sealed record ProvisionContainerGroupInput(ResolvedTemplate Template, ProvisioningTimings? Timings = null, DeploymentLane? Lane = null);
