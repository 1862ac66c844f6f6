namespace Provisioning.Orchestrations;

/// <summary>
/// The runs that deploy one container group for events (see <c>RunIds.WorkloadPrefix</c>). They take turns: a run
/// starts its work only when no earlier run of its lane is still going, and a run that finds a newer one ends at
/// once as superseded, so the newest event's deployment is the one that stays.
/// </summary>
/// <param name="InstanceIdPrefix">The instance id prefix shared by the lane's runs; ids sort in event-time order within it.</param>
/// <param name="EventTime">When the run's event happened; null when the event did not say.</param>
public sealed record DeploymentLane(string InstanceIdPrefix, DateTimeOffset? EventTime);
