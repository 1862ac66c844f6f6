using System.Text.Json;
using Provisioning.Durable.Client;
using Provisioning.Durable.Embedded.Dispatching;
using Provisioning.Durable.Embedded.History;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Client;

/// <summary>The client of the embedded engine: every call is one store operation plus an in-process wake-up.</summary>
internal sealed class EmbeddedOrchestrationClient(Func<CancellationToken, Task<EngineRuntime>> ready) : OrchestrationClient
{
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        string orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName);
        if (options?.InstanceId is { } requested && string.IsNullOrWhiteSpace(requested))
        {
            throw new ArgumentException("An instance id must not be empty.", nameof(options));
        }

        var runtime = await ready(cancellationToken);
        if (!runtime.Registry.ContainsOrchestrator(orchestratorName))
        {
            throw new ArgumentException($"No orchestrator named '{orchestratorName}' is registered with this engine.", nameof(orchestratorName));
        }

        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var now = runtime.Time.GetUtcNow();
        var startAt = options?.StartAt is { } at && at > now ? at : now;
        await runtime.Store.CreateInstanceAsync(
            new NewInstance(instanceId, orchestratorName, Guid.NewGuid().ToString("N"), runtime.Converter.Serialize(input), now, startAt, null, options?.DedupeStatuses),
            cancellationToken);
        runtime.MessageQueued(startAt);
        runtime.Changes.Changed(instanceId);
        return instanceId;
    }

    public override async Task<OrchestrationMetadata?> GetInstanceAsync(
        string instanceId, bool getInputsAndOutputs = true, bool getHistory = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await ready(cancellationToken);
        var record = await runtime.Store.GetInstanceAsync(instanceId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var metadata = ToMetadata(record, getInputsAndOutputs);
        if (getHistory)
        {
            var history = await runtime.Store.GetHistoryAsync(instanceId, cancellationToken);
            metadata = metadata with { History = history.Select(ToPublic).ToList() };
        }

        return metadata;
    }

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellationToken = default)
        => WaitAsync(instanceId, getInputsAndOutputs, status => status != OrchestrationRuntimeStatus.Pending, cancellationToken);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = true, CancellationToken cancellationToken = default)
        => WaitAsync(instanceId, getInputsAndOutputs, status => status.IsTerminal(), cancellationToken);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        return SendAsync(instanceId, HistoryEventType.EventRaised, eventName, eventPayload, cancellationToken);
    }

    public override Task TerminateInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, HistoryEventType.ExecutionTerminated, null, reason, cancellationToken);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, HistoryEventType.ExecutionSuspended, null, reason, cancellationToken);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default)
        => SendAsync(instanceId, HistoryEventType.ExecutionResumed, null, reason, cancellationToken);

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await ready(cancellationToken);
        return new PurgeResult(await runtime.Store.PurgeInstanceAsync(instanceId, cancellationToken));
    }

    public override async Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var runtime = await ready(cancellationToken);
        return new PurgeResult(await runtime.Store.PurgeInstancesAsync(filter, cancellationToken));
    }

    public override async Task<OrchestrationQueryPage> QueryInstancesAsync(OrchestrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var runtime = await ready(cancellationToken);
        var (instances, token) = await runtime.Store.QueryAsync(query, cancellationToken);
        return new OrchestrationQueryPage(instances.Select(record => ToMetadata(record, query.FetchInputsAndOutputs)).ToList(), token);
    }

    private async Task SendAsync(string instanceId, HistoryEventType type, string? name, object? payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await ready(cancellationToken);
        var now = runtime.Time.GetUtcNow();
        await runtime.Store.SendClientMessageAsync(instanceId, new HistoryEvent(type, now) { Name = name, Data = runtime.Converter.Serialize(payload) }, now, cancellationToken);
        runtime.MessageQueued(now);
    }

    private async Task<OrchestrationMetadata> WaitAsync(string instanceId, bool getInputsAndOutputs, Func<OrchestrationRuntimeStatus, bool> done, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var runtime = await ready(cancellationToken);
        while (true)
        {
            // Take the change notice before reading, so a change between the read and the wait is not missed.
            var changed = runtime.Changes.NextChange(instanceId);
            var metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, getHistory: false, cancellationToken)
                ?? throw new OrchestrationNotFoundException(instanceId);
            if (done(metadata.RuntimeStatus))
            {
                return metadata;
            }

            // The poll is the fallback for changes made by another process, which send no in-process notice.
            using var pollCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(changed, Task.Delay(runtime.Options.PollInterval, runtime.Time, pollCancellation.Token));
            await pollCancellation.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static OrchestrationMetadata ToMetadata(InstanceRecord record, bool getInputsAndOutputs)
        => new(record.Name, record.InstanceId, record.Status, record.CreatedAt, record.LastUpdatedAt)
        {
            SerializedInput = getInputsAndOutputs ? record.Input : null,
            SerializedOutput = getInputsAndOutputs ? record.Output : null,
            SerializedCustomStatus = getInputsAndOutputs ? record.CustomStatus : null,
            FailureDetails = record.Failure,
        };

    private static OrchestrationHistoryEvent ToPublic(HistoryEvent historyEvent)
        => new(
            historyEvent.Type.ToString(),
            historyEvent.Timestamp,
            historyEvent.Name ?? historyEvent.ChildInstanceId,
            historyEvent.TaskId >= 0 ? historyEvent.TaskId : null,

            // A timer has no data of its own; its fire time is what a reader of the history wants to see.
            historyEvent.FireAt is { } fireAt ? JsonSerializer.Serialize(fireAt) : historyEvent.Data,
            historyEvent.Failure);
}
