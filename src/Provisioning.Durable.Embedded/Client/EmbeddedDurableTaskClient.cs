using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;
using Provisioning.Durable.Embedded.Dispatching;
using Provisioning.Durable.Embedded.History;
using Provisioning.Durable.Embedded.Storage;
using CoreAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;
using CoreHistoryEvent = DurableTask.Core.History.HistoryEvent;

namespace Provisioning.Durable.Embedded.Client;

/// <summary>
/// The <see cref="DurableTaskClient"/> of the embedded backend: every call is one store operation plus an
/// in-process wake-up. Failures are raised as the SDK's gRPC client raises them, so code written against the
/// SDK behaves the same on either backend: a taken id is DurableTask.Core's
/// <see cref="CoreAlreadyExistsException"/>; an unknown instance is an <see cref="ArgumentException"/>; an
/// operation a finished instance no longer takes is an <see cref="InvalidOperationException"/>.
/// </summary>
internal sealed class EmbeddedDurableTaskClient : DurableTaskClient
{
    private readonly EmbeddedEngine _engine;

    public EmbeddedDurableTaskClient(string name, EmbeddedEngine engine)
        : base(name)
    {
        _engine = engine;
    }

    /// <inheritdoc />
    public override DurableEntityClient Entities
        => throw new NotSupportedException("The embedded backend does not support durable entities; use the gRPC backend (a Durable Task sidecar or Durable Functions) for entities.");

    /// <inheritdoc />
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName.Name);
        if (options?.InstanceId is { } requested && string.IsNullOrWhiteSpace(requested))
        {
            throw new ArgumentException("An instance id must not be empty.", nameof(options));
        }

        var dedupe = options?.DedupeStatuses?.Select(ParseStatus).ToList();
        var runtime = await _engine.ReadyAsync(cancellation);
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var now = runtime.Time.GetUtcNow();
        var startAt = options?.StartAt is { } at && at > now ? at : now;
        using var span = Diagnostics.EngineTraceNames.StartCreate(orchestratorName.Name, instanceId);
        try
        {
            var instance = new NewInstance(instanceId, orchestratorName.Name, Guid.NewGuid().ToString("N"), runtime.Converter.Serialize(input), now, startAt, null, dedupe)
            {
                TraceParent = Diagnostics.EngineTraceNames.TraceParentOf(span),
            };
            if (startAt == now && runtime.IsDispatching && runtime.InlineFirstEpisodes.Wait(0, CancellationToken.None))
            {
                // This process runs orchestrations: the first episode commits with the creation (one sync, not two).
                try
                {
                    await new OrchestrationWorker(runtime).CreateWithFirstEpisodeAsync(instance, cancellation);
                }
                finally
                {
                    runtime.InlineFirstEpisodes.Release();
                }
            }
            else
            {
                await runtime.Store.CreateInstanceAsync(instance, cancellation);
                runtime.MessageQueued(startAt);
            }
        }
        catch (OrchestrationAlreadyExistsException taken)
        {
            throw new CoreAlreadyExistsException(taken.Message);
        }

        runtime.Changes.Changed(instanceId);
        return instanceId;
    }

    /// <inheritdoc />
    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await _engine.ReadyAsync(cancellation);
        var record = await runtime.Store.GetInstanceAsync(instanceId, cancellation);
        return record is null ? null : ToMetadata(record, getInputsAndOutputs, runtime.Converter);
    }

    /// <inheritdoc />
    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
        => Pageable.Create<OrchestrationMetadata>(async (continuation, pageSize, cancellation) =>
        {
            var runtime = await _engine.ReadyAsync(cancellation);
            var query = new InstanceQuery(
                filter?.Statuses?.ToList(),
                filter?.CreatedFrom,
                filter?.CreatedTo,
                filter?.InstanceIdPrefix,
                pageSize ?? filter?.PageSize ?? OrchestrationQuery.DefaultPageSize,
                continuation ?? filter?.ContinuationToken,
                filter?.FetchInputsAndOutputs ?? false);
            var (instances, token) = await runtime.Store.QueryAsync(query, cancellation);
            return new Page<OrchestrationMetadata>(instances.Select(record => ToMetadata(record, query.FetchInputsAndOutputs, runtime.Converter)).ToList(), token);
        });

    /// <inheritdoc />
    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => WaitAsync(instanceId, getInputsAndOutputs, status => status != OrchestrationRuntimeStatus.Pending, cancellation);

    /// <inheritdoc />
    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => WaitAsync(instanceId, getInputsAndOutputs, status => status.IsTerminal(), cancellation);

    /// <inheritdoc />
    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, HistoryEventType.EventRaised, eventName, eventPayload, cancellation);
    }

    /// <inheritdoc />
    public override async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        await SendAsync(instanceId, HistoryEventType.ExecutionTerminated, null, options?.Output, cancellation);
        if (options?.Recursive == true)
        {
            foreach (var child in await ChildrenAsync(instanceId, cancellation))
            {
                try
                {
                    await TerminateInstanceAsync(child, options, cancellation);
                }
                catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
                {
                    // A child that finished or was purged meanwhile needs no termination.
                }
            }
        }
    }

    /// <inheritdoc />
    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
        => SendAsync(instanceId, HistoryEventType.ExecutionSuspended, null, reason, cancellation);

    /// <inheritdoc />
    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
        => SendAsync(instanceId, HistoryEventType.ExecutionResumed, null, reason, cancellation);

    /// <inheritdoc />
    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await _engine.ReadyAsync(cancellation);
        var record = await runtime.Store.GetInstanceAsync(instanceId, cancellation);
        if (record is null || !record.Status.IsTerminal())
        {
            // Only a finished instance can be purged; a pending or running one is left alone, as Durable Task does.
            return new PurgeResult(0);
        }

        var children = options?.Recursive == true ? await ChildrenAsync(instanceId, cancellation) : [];
        var purged = await runtime.Store.PurgeInstanceAsync(instanceId, cancellation);
        foreach (var child in children)
        {
            purged += (await PurgeInstanceAsync(child, options, cancellation)).PurgedInstanceCount;
        }

        return new PurgeResult(purged);
    }

    /// <inheritdoc />
    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var runtime = await _engine.ReadyAsync(cancellation);
        return new PurgeResult(await runtime.Store.PurgeInstancesAsync(new InstancePurgeFilter(filter.CreatedFrom, filter.CreatedTo, filter.Statuses?.ToList()), cancellation));
    }

    /// <inheritdoc />
    public override async Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await _engine.ReadyAsync(cancellation);
        var record = await runtime.Store.GetInstanceAsync(instanceId, cancellation)
            ?? throw new ArgumentException($"An orchestration with the instanceId {instanceId} was not found.", nameof(instanceId));
        if (!record.Status.IsTerminal())
        {
            throw new InvalidOperationException($"An orchestration with the instanceId {instanceId} cannot be restarted: it is {record.Status}.");
        }

        // The stored input is already serialized: schedule it as is, so it is not encoded twice.
        var newId = restartWithNewInstanceId ? Guid.NewGuid().ToString("N") : instanceId;
        var now = runtime.Time.GetUtcNow();
        using var span = Diagnostics.EngineTraceNames.StartCreate(record.Name, newId);
        await runtime.Store.CreateInstanceAsync(
            new NewInstance(newId, record.Name, Guid.NewGuid().ToString("N"), record.Input, now, now, null) { TraceParent = Diagnostics.EngineTraceNames.TraceParentOf(span) },
            cancellation);
        runtime.MessageQueued(now);
        runtime.Changes.Changed(newId);
        return newId;
    }

    /// <inheritdoc />
    public override async Task<IList<CoreHistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await _engine.ReadyAsync(cancellation);
        if (await runtime.Store.GetInstanceAsync(instanceId, cancellation) is null)
        {
            throw new ArgumentException($"An orchestration with the instanceId {instanceId} was not found.", nameof(instanceId));
        }

        var history = await runtime.Store.GetHistoryAsync(instanceId, cancellation);
        return history.Select((historyEvent, index) => CoreHistory.From(historyEvent, index)).ToList();
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static OrchestrationRuntimeStatus ParseStatus(string status)
        => Enum.TryParse<OrchestrationRuntimeStatus>(status, ignoreCase: true, out var parsed)
            ? parsed
            : throw new ArgumentException($"Invalid orchestration runtime status: '{status}' for deduplication.", nameof(status));

    private static OrchestrationMetadata ToMetadata(InstanceRecord record, bool getInputsAndOutputs, DataConverter converter)
        => new(record.Name, record.InstanceId)
        {
            RuntimeStatus = record.Status,
            CreatedAt = record.CreatedAt,
            LastUpdatedAt = record.LastUpdatedAt,
            SerializedInput = getInputsAndOutputs ? record.Input : null,
            SerializedOutput = getInputsAndOutputs ? record.Output : null,
            SerializedCustomStatus = getInputsAndOutputs ? record.CustomStatus : null,
            FailureDetails = getInputsAndOutputs ? record.Failure?.ToTaskFailureDetails() : null,
            DataConverter = converter,
        };

    private async Task<IReadOnlyList<string>> ChildrenAsync(string instanceId, CancellationToken cancellation)
    {
        var runtime = await _engine.ReadyAsync(cancellation);
        var history = await runtime.Store.GetHistoryAsync(instanceId, cancellation);
        return history.Where(e => e.Type == HistoryEventType.SubOrchestrationCreated && e.ChildInstanceId is not null).Select(e => e.ChildInstanceId!).Distinct().ToList();
    }

    private async Task SendAsync(string instanceId, HistoryEventType type, string? name, object? payload, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await _engine.ReadyAsync(cancellation);
        var now = runtime.Time.GetUtcNow();
        try
        {
            await runtime.Store.SendClientMessageAsync(instanceId, new HistoryEvent(type, now) { Name = name, Data = runtime.Converter.Serialize(payload) }, now, cancellation);
        }
        catch (OrchestrationNotFoundException missing)
        {
            throw new ArgumentException($"An orchestration with the instanceId {instanceId} was not found.", nameof(instanceId), missing);
        }

        runtime.MessageQueued(now);
    }

    private async Task<OrchestrationMetadata> WaitAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationRuntimeStatus, bool> done, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await _engine.ReadyAsync(cancellation);
        while (true)
        {
            // Take the change notice before reading, so a change between the read and the wait is not missed.
            var changed = runtime.Changes.NextChange(instanceId);
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation)
                ?? throw new ArgumentException($"An orchestration with the instanceId {instanceId} was not found.", nameof(instanceId));
            if (done(metadata.RuntimeStatus))
            {
                return metadata;
            }

            // The poll is the fallback for changes made by another process, which send no in-process notice.
            using var pollCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            await Task.WhenAny(changed, Task.Delay(runtime.Options.PollInterval, runtime.Time, pollCancellation.Token));
            await pollCancellation.CancelAsync();
            cancellation.ThrowIfCancellationRequested();
        }
    }
}
