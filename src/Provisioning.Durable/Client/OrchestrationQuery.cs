namespace Provisioning.Durable.Client;

/// <summary>A filter over instances, read a page at a time.</summary>
/// <param name="RuntimeStatuses">Only these statuses; <c>null</c> or empty for all.</param>
/// <param name="CreatedFrom">Only instances created at or after this time.</param>
/// <param name="CreatedTo">Only instances created at or before this time.</param>
/// <param name="InstanceIdPrefix">Only ids that start with this.</param>
/// <param name="PageSize">At most this many per page.</param>
/// <param name="ContinuationToken">The token of the previous page; <c>null</c> for the first.</param>
/// <param name="FetchInputsAndOutputs">Include inputs, outputs and custom status.</param>
public sealed record OrchestrationQuery(
    IReadOnlyCollection<OrchestrationRuntimeStatus>? RuntimeStatuses = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    string? InstanceIdPrefix = null,
    int PageSize = 100,
    string? ContinuationToken = null,
    bool FetchInputsAndOutputs = false);

/// <summary>One page of a query.</summary>
/// <param name="Instances">The instances of this page.</param>
/// <param name="ContinuationToken">The token for the next page; <c>null</c> when this was the last.</param>
public sealed record OrchestrationQueryPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);
