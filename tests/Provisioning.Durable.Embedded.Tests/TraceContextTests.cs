using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.DurableTask;
using Provisioning.Durable.Embedded.Diagnostics;

namespace Provisioning.Durable.Embedded.Tests;

/// <summary>
/// One trace per run: the engine stores the trace context of the span that created an instance, so the spans of its
/// episodes and activities — and of its sub-orchestrations — join the caller's trace, even in an engine started after a
/// restart that has never seen the caller.
/// </summary>
public sealed class TraceContextTests : IDisposable
{
    private const string CallerName = "Provisioning.Durable.Embedded.Tests.Caller";

    private static readonly ActivitySource Caller = new(CallerName);

    private readonly ConcurrentBag<Activity> _spans = [];
    private readonly ActivityListener _listener;

    public TraceContextTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is EngineTelemetry.SourceName or CallerName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Every_span_of_a_run_and_its_child_is_in_the_callers_trace_across_a_restart()
    {
        using var database = new TempDatabase();
        var clock = EngineTestSupport.NewClock();
        var instanceId = "traced-" + Guid.NewGuid().ToString("N");
        ActivityTraceId callerTrace;
        await using (var first = await EngineTestSupport.StartAsync(Register, database, clock))
        {
            using (var request = Caller.StartActivity("POST /api/provisioning", ActivityKind.Server)!)
            {
                callerTrace = request.TraceId;
                await first.Client.ScheduleNewOrchestrationInstanceAsync("TracedWaiter", "a", new StartOrchestrationOptions(instanceId));
            }

            await first.Client.UntilAsync(instanceId, metadata => metadata.ReadCustomStatusAs<string>() == "waiting");
        }

        // A new engine on the same file, with no span current: only the stored context can put its spans in the trace.
        Assert.Null(Activity.Current);
        await using (var second = await EngineTestSupport.StartAsync(Register, database, clock))
        {
            await second.Client.RaiseEventAsync(instanceId, "Go", "b");
            var done = await second.Client.CompletionAsync(instanceId);
            Assert.Equal("echo:a|child:echo:b", done.ReadOutputAs<string>());
        }

        var run = _spans.Where(span => span.GetTagItem(EngineTraceNames.InstanceIdTag) is string id && id.StartsWith(instanceId, StringComparison.Ordinal)).ToList();
        var names = run.Select(span => span.OperationName).ToList();
        Assert.Contains(EngineTraceNames.CreatePrefix + "TracedWaiter", names);
        Assert.Equal(2, names.Count(name => name == EngineTraceNames.ActivityPrefix + "TracedEcho"));
        Assert.Contains(EngineTraceNames.EpisodePrefix + "TracedChild", names);
        Assert.True(names.Count(name => name == EngineTraceNames.EpisodePrefix + "TracedWaiter") >= 3, string.Join(", ", names));
        Assert.All(run, span => Assert.Equal(callerTrace, span.TraceId));

        // The child's episodes hang under the parent's episode that created it, not directly under the request.
        var parentEpisodes = run.Where(span => span.OperationName == EngineTraceNames.EpisodePrefix + "TracedWaiter").Select(span => span.SpanId).ToHashSet();
        Assert.All(run.Where(span => span.OperationName == EngineTraceNames.EpisodePrefix + "TracedChild"), span => Assert.Contains(span.ParentSpanId, parentEpisodes));
    }

    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivityFunc<string, string>("TracedEcho", (_, input) => "echo:" + input)
        .AddOrchestratorFunc<string, string>("TracedChild", async (context, input) => "child:" + await context.CallActivityAsync<string>("TracedEcho", input))
        .AddOrchestratorFunc<string, string>("TracedWaiter", async (context, input) =>
        {
            var first = await context.CallActivityAsync<string>("TracedEcho", input);
            context.SetCustomStatus("waiting");
            var go = await context.WaitForExternalEvent<string>("Go");
            var child = await context.CallSubOrchestratorAsync<string>("TracedChild", go, new SubOrchestrationOptions { InstanceId = context.InstanceId + "-child" });
            return first + "|" + child;
        });
}
