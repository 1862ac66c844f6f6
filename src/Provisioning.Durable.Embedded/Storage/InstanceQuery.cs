using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>Which instances a store query reads: one page of them, ordered by id.</summary>
/// <param name="RuntimeStatuses">Only these statuses; <c>null</c> or empty for all.</param>
/// <param name="CreatedFrom">Created at or after.</param>
/// <param name="CreatedTo">Created at or before.</param>
/// <param name="InstanceIdPrefix">Only ids that start with this.</param>
/// <param name="PageSize">At most this many (1 to 1,000).</param>
/// <param name="ContinuationToken">The last id of the previous page.</param>
/// <param name="FetchInputsAndOutputs">Read inputs, outputs and custom status too.</param>
internal sealed record InstanceQuery(
    IReadOnlyCollection<OrchestrationRuntimeStatus>? RuntimeStatuses = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    string? InstanceIdPrefix = null,
    int PageSize = OrchestrationQuery.DefaultPageSize,
    string? ContinuationToken = null,
    bool FetchInputsAndOutputs = false);

/// <summary>Which finished instances a purge removes.</summary>
/// <param name="CreatedFrom">Created at or after.</param>
/// <param name="CreatedTo">Created at or before.</param>
/// <param name="RuntimeStatuses">Only these (finished) statuses; <c>null</c> or empty for every finished one.</param>
internal sealed record InstancePurgeFilter(
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    IReadOnlyCollection<OrchestrationRuntimeStatus>? RuntimeStatuses = null);
