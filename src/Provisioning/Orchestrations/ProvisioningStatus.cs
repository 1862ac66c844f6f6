using Provisioning.Activities;

namespace Provisioning.Orchestrations;

/// <summary>The custom status of a run: what it is doing, and how long it has waited for Azure.</summary>
/// <param name="Phase">The current phase.</param>
/// <param name="Attempt">The attempt number within the phase (deployment attempts, role grant attempts).</param>
/// <param name="NextRetryAt">When the next attempt starts, while waiting.</param>
/// <param name="WaitedSeconds">Total time spent waiting for Azure so far.</param>
/// <param name="Message">The last thing Azure said, e.g. why a pull was refused.</param>
/// <param name="Created">What this run has created so far (compensation deletes exactly these).</param>
/// <param name="Compensation">Once compensation ran: what it deleted and what it could not.</param>
public sealed record ProvisioningStatus(
    ProvisioningPhase Phase,
    int Attempt,
    DateTime? NextRetryAt,
    double WaitedSeconds,
    string? Message,
    IReadOnlyList<CreatedResource> Created,
    CompensationReport? Compensation = null);
