using System.Diagnostics;

namespace Provisioning.Durable.Embedded.Diagnostics;

/// <summary>The engine's tracing source: a span per orchestration episode and per activity execution.</summary>
public static class EngineTelemetry
{
    /// <summary>The name to subscribe to (e.g. <c>AddSource("Provisioning.Durable.Embedded")</c> in OpenTelemetry).</summary>
    public const string SourceName = "Provisioning.Durable.Embedded";

    internal static ActivitySource Source { get; } = new(SourceName);
}
