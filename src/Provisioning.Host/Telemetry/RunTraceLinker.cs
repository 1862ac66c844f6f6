using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using Provisioning.Durable.Embedded.Diagnostics;

namespace Provisioning.Host.Telemetry;

/// <summary>
/// Links each span the embedded engine makes for a run (its episodes and activities, with the ARM calls under them)
/// to the span that created the run, which is in the trace of the request or Event Grid delivery that started it. The
/// engine stores no trace context with an instance, so its later spans start traces of their own: the link is what
/// leads from a delivery to the ARM calls its run made. The creating spans are remembered in memory: after a restart,
/// a run's later spans have no link.
/// </summary>
internal sealed class RunTraceLinker : BaseProcessor<Activity>
{
    // Bounded: a run's creation is remembered while the run is likely to go on; older ones go when the table is full.
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, ActivityContext> _creations = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public override void OnStart(Activity data)
    {
        if (data.Source.Name == EngineTelemetry.SourceName
            && data.OperationName.StartsWith(EngineTraceNames.CreatePrefix, StringComparison.Ordinal)
            && data.GetTagItem(EngineTraceNames.InstanceIdTag) is string instanceId)
        {
            _creations[instanceId] = data.Context;
            _order.Enqueue(instanceId);
            while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                _creations.TryRemove(oldest, out _);
            }
        }
    }

    // The engine tags a span with its instance after starting it, so the link is added when it ends, before export.
    public override void OnEnd(Activity data)
    {
        if (data.Source.Name == EngineTelemetry.SourceName
            && !data.OperationName.StartsWith(EngineTraceNames.CreatePrefix, StringComparison.Ordinal)
            && data.GetTagItem(EngineTraceNames.InstanceIdTag) is string instanceId
            && _creations.TryGetValue(instanceId, out var creation)
            && creation.TraceId != data.TraceId)
        {
            data.AddLink(new ActivityLink(creation, new ActivityTagsCollection { ["link.reason"] = "run created" }));
        }
    }
}
