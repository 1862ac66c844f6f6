namespace Provisioning.Durable.Client;

/// <summary>Options for starting an orchestration.</summary>
/// <param name="InstanceId">The instance id; <c>null</c> for a new random one. Starting an id that is pending or running
/// is refused with <see cref="OrchestrationAlreadyExistsException"/>; an id that has finished starts afresh, unless its
/// status is one of the <see cref="DedupeStatuses"/>.</param>
/// <param name="StartAt">Do not start before this time; <c>null</c> starts at once.</param>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null)
{
    /// <summary>
    /// Finished statuses that also refuse the start (as Durable Task's dedupe statuses do): an existing instance in one
    /// of them is kept as it is, and the start throws <see cref="OrchestrationAlreadyExistsException"/>. Checked in the
    /// same transaction as the creation, so two starts of one id cannot both succeed.
    /// </summary>
    public IReadOnlyList<OrchestrationRuntimeStatus>? DedupeStatuses { get; init; }

    /// <summary>Every finished status: with these as <see cref="DedupeStatuses"/>, an id starts at most once, ever (until purged).</summary>
    public static IReadOnlyList<OrchestrationRuntimeStatus> FinishedStatuses { get; } =
        [.. Enum.GetValues<OrchestrationRuntimeStatus>().Where(status => status.IsTerminal())];
}
