using System.Diagnostics;

namespace Provisioning.Durable.Embedded.Diagnostics;

/// <summary>
/// The names and tags of the engine's spans (source <see cref="EngineTelemetry.SourceName"/>), for subscribers that
/// join them up: every span of an instance carries <see cref="InstanceIdTag"/>, and the span that creates an instance
/// (<see cref="StartCreate"/>) is started in the caller's trace (an HTTP request, an Event Grid delivery). The engine
/// stores that span's context with the instance, and starts the spans of the instance's episodes and activities as its
/// children, in whichever process and after whichever restart they run: one trace from the request to the last
/// activity. A sub-orchestration's spans are children of the episode that created it.
/// </summary>
public static class EngineTraceNames
{
    /// <summary>The tag with the instance id, on every span of an instance.</summary>
    public const string InstanceIdTag = "durable.instance_id";

    /// <summary>The tag with the orchestration's name.</summary>
    public const string OrchestrationTag = "durable.orchestration";

    /// <summary>The tag with an episode's resulting runtime status (Running, Completed, Failed, ...).</summary>
    public const string StatusTag = "durable.status";

    /// <summary>The name prefix of the span that creates an instance.</summary>
    public const string CreatePrefix = "create_orchestration ";

    /// <summary>The name prefix of an episode's span.</summary>
    public const string EpisodePrefix = "orchestration ";

    /// <summary>The name prefix of an activity execution's span.</summary>
    public const string ActivityPrefix = "activity ";

    /// <summary>
    /// Starts the span of an instance's creation as a child of the current span, with the instance id and name as
    /// tags from its start (so a subscriber sees them when it starts); null when nobody listens.
    /// </summary>
    /// <param name="orchestration">The orchestration's name.</param>
    /// <param name="instanceId">The new instance's id.</param>
    public static Activity? StartCreate(string orchestration, string instanceId)
        => EngineTelemetry.Source.StartActivity(
            CreatePrefix + orchestration,
            ActivityKind.Producer,
            parentContext: default,
            tags: [new(InstanceIdTag, instanceId), new(OrchestrationTag, orchestration)]);

    /// <summary>
    /// Starts a span of an instance's work (an episode or an activity) as a child of the span that created the instance,
    /// given its stored W3C context; without one (an instance created before contexts were stored), in a trace of its own.
    /// </summary>
    internal static Activity? StartInstanceSpan(string name, string? traceParent)
        => traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? EngineTelemetry.Source.StartActivity(name, ActivityKind.Internal, parent)
            : EngineTelemetry.Source.StartActivity(name, ActivityKind.Internal, parentContext: default);

    /// <summary>The W3C context to store for an instance created under <paramref name="span"/> (or the caller's span when nobody listens to the engine).</summary>
    internal static string? TraceParentOf(Activity? span)
        => (span ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;
}
