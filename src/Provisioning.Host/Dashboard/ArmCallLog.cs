using System.Collections.Concurrent;
using System.Diagnostics;
using Provisioning.Durable.Embedded.Diagnostics;

namespace Provisioning.Host.Dashboard;

/// <summary>
/// The HTTP calls each run's activities made, since this host started, for the run's page: it listens to the HTTP
/// client's spans and files each under the run whose activity span (from the embedded engine) it ran in. In memory and
/// bounded; the durable history does not record HTTP calls, so a run from before a restart shows none.
/// </summary>
internal sealed class ArmCallLog : IDisposable
{
    private const int MaxRuns = 1_000;
    private const int MaxCallsPerRun = 500;

    private readonly ConcurrentDictionary<string, ConcurrentQueue<ArmCall>> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _runs = new();
    private readonly ActivityListener _listener;

    public ArmCallLog()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is EngineTelemetry.SourceName or "System.Net.Http",
            // The HTTP client sets its tags (method, URL, status) only on spans whose data is requested.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The calls a run made, oldest first.</summary>
    public IReadOnlyList<ArmCall> For(string instanceId)
        => _calls.TryGetValue(instanceId, out var calls) ? [.. calls] : [];

    public void Dispose() => _listener.Dispose();

    private void Stopped(Activity span)
    {
        if (span.Source.Name != "System.Net.Http")
        {
            return;
        }

        for (var parent = span.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent.Source.Name == EngineTelemetry.SourceName && parent.GetTagItem(EngineTraceNames.InstanceIdTag) is string instanceId)
            {
                Record(instanceId, new ArmCall(
                    span.StartTimeUtc,
                    parent.GetTagItem("durable.activity") as string,
                    span.GetTagItem("http.request.method") as string,
                    span.GetTagItem("url.full") as string,
                    span.GetTagItem("http.response.status_code") is int status ? status : null,
                    span.Duration.TotalSeconds,
                    span.GetTagItem("error.type") as string));
                return;
            }
        }
    }

    private void Record(string instanceId, ArmCall call)
    {
        var calls = _calls.GetOrAdd(instanceId, id =>
        {
            _runs.Enqueue(id);
            return new ConcurrentQueue<ArmCall>();
        });
        calls.Enqueue(call);
        while (calls.Count > MaxCallsPerRun && calls.TryDequeue(out _))
        {
        }

        while (_runs.Count > MaxRuns && _runs.TryDequeue(out var oldest))
        {
            _calls.TryRemove(oldest, out _);
        }
    }
}
