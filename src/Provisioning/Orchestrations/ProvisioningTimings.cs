namespace Provisioning.Orchestrations;

/// <summary>
/// How long a run waits for Azure, and how often it looks. The defaults follow Azure's documented behaviour: a grant
/// can take up to 10 minutes to become effective (the deadline allows 15), a new principal a few minutes to
/// replicate. Tests and the sandbox shorten them.
/// </summary>
public sealed record ProvisioningTimings
{
    /// <summary>First wait after <c>PrincipalNotFound</c>; it doubles after each further refusal.</summary>
    public TimeSpan PrincipalRetryFirstInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Give up granting a role after the principal has been unknown this long.</summary>
    public TimeSpan PrincipalRetryTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait after a refused image pull; it doubles after each further refusal, up to <see cref="ReadinessMaxInterval"/>.</summary>
    public TimeSpan ReadinessFirstInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait between two deployment attempts.</summary>
    public TimeSpan ReadinessMaxInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Give up (and compensate) when the pull is still refused this long after the first attempt.</summary>
    public TimeSpan ReadinessDeadline { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Give up (and compensate) when one deployment operation is still in progress after this long.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Poll interval of a long-running operation when ARM advises none.</summary>
    public TimeSpan OperationPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts at a step that fails transiently (after the HTTP pipeline's own retries), and at each compensating delete.</summary>
    public int TransientAttempts { get; init; } = 4;

    /// <summary>First wait before retrying a transient failure; it doubles.</summary>
    public TimeSpan TransientFirstInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait after the region had no capacity for the workload; it doubles up to <see cref="CapacityRetryMaxInterval"/>.</summary>
    public TimeSpan CapacityRetryFirstInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between two deployment attempts refused for capacity.</summary>
    public TimeSpan CapacityRetryMaxInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Give up (and compensate) when the region still has no capacity this long after the first refusal.</summary>
    public TimeSpan CapacityRetryTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Give up (and compensate) when the group is still changing state (<c>409 ContainerGroupTransitioning</c>) after this long.</summary>
    public TimeSpan TransitioningRetryTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a run queued behind earlier runs of the same workload looks again whether its turn has come.</summary>
    public TimeSpan LaneCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Give up (nothing created yet) when earlier runs of the same workload are still going after this long, e.g. one left suspended.</summary>
    public TimeSpan LaneWaitTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A grant-only run's estimate of role-assignment propagation: how long it waits, once the new assignment is listed
    /// for the principal, before it calls the grant effective (Azure says changes can take up to 10 minutes). Nothing pulls
    /// with the grant to prove it, so this is an estimate, and the run's status says so.
    /// </summary>
    public TimeSpan GrantPropagationWait { get; init; } = TimeSpan.FromMinutes(10);
}
