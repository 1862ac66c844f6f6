using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Provisioning.Telemetry;

/// <summary>
/// The product's spans and metrics: source and meter <see cref="Name"/>. Spans: an Event Grid delivery and a start
/// request (their runs' creation and everything the engine does for them link back to these). Metrics: runs started,
/// completed, failed and compensated, durable waits, ARM calls and ARM throttles. One definition for every host: the
/// self-hosted host records into it, and the Functions app collects the same source and meter.
/// </summary>
public static class ProvisioningTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "Provisioning";

    /// <summary>The product's spans.</summary>
    public static ActivitySource Source { get; } = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Runs created (tag <c>orchestration</c>).</summary>
    public static Counter<long> RunsStarted { get; } = Meter.CreateCounter<long>("provisioning.runs.started", "{run}", "Runs created.");

    /// <summary>Runs that finished without failing (tag <c>outcome</c>: succeeded or superseded).</summary>
    public static Counter<long> RunsCompleted { get; } = Meter.CreateCounter<long>("provisioning.runs.completed", "{run}", "Runs that finished: the workload runs, or a newer run made them unnecessary.");

    /// <summary>Runs that failed (tag <c>outcome</c>: failed, cancelled or terminated).</summary>
    public static Counter<long> RunsFailed { get; } = Meter.CreateCounter<long>("provisioning.runs.failed", "{run}", "Runs that failed, were cancelled or were terminated.");

    /// <summary>Runs whose compensation ran (tag <c>complete</c>: whether it deleted everything).</summary>
    public static Counter<long> RunsCompensated { get; } = Meter.CreateCounter<long>("provisioning.runs.compensated", "{run}", "Runs that deleted what they created.");

    /// <summary>Durable waits of finished runs (tag <c>after</c>: the step the wait followed).</summary>
    public static Histogram<double> Waits { get; } = Meter.CreateHistogram<double>("provisioning.waits", "s", "Durable waits (grant propagation, principal replication, backoff, lane turns) of finished runs.");

    /// <summary>ARM HTTP calls (tags <c>http.request.method</c>, <c>http.response.status_code</c>).</summary>
    public static Counter<long> ArmCalls { get; } = Meter.CreateCounter<long>("provisioning.arm.calls", "{call}", "HTTP calls to Azure Resource Manager (or the sandbox's emulator of it).");

    /// <summary>ARM calls answered 429.</summary>
    public static Counter<long> ArmThrottles { get; } = Meter.CreateCounter<long>("provisioning.arm.throttles", "{call}", "ARM calls answered 429 Too Many Requests.");

    /// <summary>ARM call durations.</summary>
    public static Histogram<double> ArmDuration { get; } = Meter.CreateHistogram<double>("provisioning.arm.duration", "s", "Duration of ARM HTTP calls.");
}
