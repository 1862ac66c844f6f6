using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.DurableTask.Client;
using Provisioning.Durable.Embedded.Diagnostics;
using Provisioning.Host.Dashboard;
using Provisioning.Host.Http;
using Provisioning.Telemetry;

namespace Provisioning.Host.Telemetry;

/// <summary>
/// Records the product's metrics from what the host does, without a line in the orchestrations: it listens to the
/// engine's spans (a run created; an episode that ended the run) and to the HTTP client's spans to ARM. When a run
/// ends, it reads the run's status and history once: the outcome, whether compensation ran, and its durable waits.
/// The engine's spans exist on the embedded backend only; on the gRPC backend only the ARM metrics are recorded.
/// </summary>
/// <param name="client">Reads finished runs.</param>
/// <param name="arm">Which HTTP calls are ARM calls.</param>
/// <param name="logger">Logs a run it could not read.</param>
internal sealed class RunMetricsObserver(DurableTaskClient client, ArmEndpoint arm, ILogger<RunMetricsObserver> logger) : BackgroundService
{
    private static readonly string[] FinalStatuses = ["Completed", "Failed", "Terminated"];

    private readonly Channel<string> _finished = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private ActivityListener? _listener;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is EngineTelemetry.SourceName or "System.Net.Http",
            // Tags are only set on spans whose data is requested; nothing here is recorded for export by this listener.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = Started,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _listener?.Dispose();
        _finished.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private static void Started(Activity activity)
    {
        if (activity.Source.Name == EngineTelemetry.SourceName && activity.OperationName.StartsWith(EngineTraceNames.CreatePrefix, StringComparison.Ordinal))
        {
            ProvisioningTelemetry.RunsStarted.Add(1, new KeyValuePair<string, object?>("orchestration", activity.GetTagItem(EngineTraceNames.OrchestrationTag)));
        }
    }

    private void Stopped(Activity activity)
    {
        if (activity.Source.Name == EngineTelemetry.SourceName)
        {
            if (activity.OperationName.StartsWith(EngineTraceNames.EpisodePrefix, StringComparison.Ordinal)
                && activity.GetTagItem(EngineTraceNames.StatusTag) is string status && FinalStatuses.Contains(status)
                && activity.GetTagItem(EngineTraceNames.InstanceIdTag) is string instanceId)
            {
                _finished.Writer.TryWrite(instanceId);
            }

            return;
        }

        ArmCallMetrics.Record(activity, arm.Endpoint);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var instanceId in _finished.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RecordAsync(instanceId, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Could not record the metrics of run {InstanceId}", instanceId);
            }
        }
    }

    private async Task RecordAsync(string instanceId, CancellationToken cancellationToken)
    {
        var metadata = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null || StatusResponsePayload.ParseOrString(metadata.SerializedCustomStatus) is not JsonObject status || status["phase"] is null)
        {
            return; // Not a provisioning run (a sample), or purged already.
        }

        var phase = status["phase"]!.GetValue<string>();
        if (metadata.RuntimeStatus == OrchestrationRuntimeStatus.Terminated)
        {
            ProvisioningTelemetry.RunsFailed.Add(1, new KeyValuePair<string, object?>("outcome", "terminated"));
        }
        else if (phase is "Succeeded" or "Superseded")
        {
            ProvisioningTelemetry.RunsCompleted.Add(1, new KeyValuePair<string, object?>("outcome", phase.ToLowerInvariant()));
        }
        else
        {
            var history = await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken);
            var cancelled = history.OfType<DurableTask.Core.History.EventRaisedEvent>().Any(raised => raised.Name == "Cancel");
            ProvisioningTelemetry.RunsFailed.Add(1, new KeyValuePair<string, object?>("outcome", cancelled ? "cancelled" : "failed"));
        }

        if (status["compensation"] is JsonObject compensation)
        {
            var complete = compensation["failed"] is not JsonArray { Count: > 0 };
            ProvisioningTelemetry.RunsCompensated.Add(1, new KeyValuePair<string, object?>("complete", complete));
        }

        foreach (var wait in RunTimeline.From(await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken), finished: true).Where(step => step.Kind == "wait" && step.End is not null))
        {
            ProvisioningTelemetry.Waits.Record((wait.End!.Value - wait.Start).TotalSeconds, new KeyValuePair<string, object?>("after", wait.Name.Replace("wait after ", string.Empty, StringComparison.Ordinal)));
        }
    }
}
