namespace Provisioning.ArmEmulator.Faults;

/// <summary>
/// The faults the emulator injects. Immutable; replace it through <see cref="EmulatorFaults"/> or
/// <c>PUT /_emulator/faults</c>. Durations serialize as <c>"hh:mm:ss"</c>.
/// </summary>
public sealed record FaultSettings
{
    /// <summary>How long a new identity's principal stays unknown to the directory (role assignments without
    /// <c>principalType</c> get <c>PrincipalNotFound</c> meanwhile).</summary>
    public TimeSpan PrincipalReplicationDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a new role assignment takes to become effective for data-plane checks (image pulls).</summary>
    public TimeSpan GrantPropagationDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long long-running operations (container groups, registries, deletes, runs) take.</summary>
    public TimeSpan ProvisioningDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>ARM-like token-bucket throttling (off by default).</summary>
    public ThrottlingSettings Throttling { get; init; } = new();

    /// <summary>Probability (0..1) that an ARM request fails with a transient 500 or 503 before it is handled.</summary>
    public double TransientFailureRate { get; init; }

    /// <summary>Latency added to every ARM request.</summary>
    public TimeSpan AddedLatency { get; init; }

    /// <summary>Random extra latency, uniform in [0, this), added on top of <see cref="AddedLatency"/>.</summary>
    public TimeSpan LatencyJitter { get; init; }

    /// <summary>Names (or full ids) of resources whose creation fails: long-running ones end <c>Failed</c>,
    /// synchronous ones answer 500.</summary>
    public IReadOnlyList<string> FailingResources { get; init; } = [];

    /// <summary>Probability (0..1) that an Event Grid delivery is sent twice.</summary>
    public double DuplicateDeliveryRate { get; init; }

    /// <summary>Probability (0..1) that an Event Grid delivery attempt is treated as failed by the emulator
    /// itself before it is sent (forces retries).</summary>
    public double DeliveryFailureRate { get; init; }

    /// <summary>Whether identity image-pull failures of container groups are reported synchronously
    /// (<c>400 InaccessibleImage</c> on PUT) instead of asynchronously (a Failed group with pull events).</summary>
    public bool SynchronousPullFailures { get; init; }

    /// <summary>Regions without capacity: a container group PUT there is answered as ACI answers a capacity shortage,
    /// <c>409 ServiceUnavailable</c> "the requested resource is not available in the location".</summary>
    public IReadOnlyList<string> RegionsWithoutCapacity { get; init; } = [];

    /// <summary>Regions whose container group core quota is used up: a container group PUT there is answered
    /// <c>409 ContainerGroupQuotaReached</c>, naming the quota ('StandardCores'), as ACI does.</summary>
    public IReadOnlyList<string> RegionsOverQuota { get; init; } = [];
}
