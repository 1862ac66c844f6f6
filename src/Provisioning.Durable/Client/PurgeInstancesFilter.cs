namespace Provisioning.Durable.Client;

/// <summary>Which finished instances to purge.</summary>
/// <param name="CreatedFrom">Created at or after this time.</param>
/// <param name="CreatedTo">Created at or before this time; <c>null</c> for no upper bound.</param>
/// <param name="RuntimeStatuses">Only these statuses; <c>null</c> for every terminal status. Instances still running are never purged.</param>
public sealed record PurgeInstancesFilter(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IReadOnlyCollection<OrchestrationRuntimeStatus>? RuntimeStatuses = null);

/// <summary>The outcome of a purge.</summary>
/// <param name="PurgedInstanceCount">How many instances were removed with their history.</param>
public sealed record PurgeResult(int PurgedInstanceCount);
