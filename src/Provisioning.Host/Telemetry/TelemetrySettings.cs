namespace Provisioning.Host.Telemetry;

/// <summary>
/// <c>Provisioning:Telemetry</c>: where the host's traces and metrics go. Nothing is collected unless an exporter is
/// configured (or <see cref="Enabled"/> is set), so a host without one pays nothing for spans.
/// </summary>
public sealed class TelemetrySettings
{
    /// <summary>The section.</summary>
    public const string SectionName = "Provisioning:Telemetry";

    /// <summary>Collect even without an exporter configured here (e.g. a test adds its own); default: only when <see cref="OtlpEndpoint"/>, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <see cref="Console"/> is set.</summary>
    public bool? Enabled { get; set; }

    /// <summary>The OTLP endpoint (gRPC, e.g. <c>http://localhost:4317</c>); the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable works too (and the other <c>OTEL_EXPORTER_OTLP_*</c> ones).</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OTLP protocol for <see cref="OtlpEndpoint"/>: <c>Grpc</c> (default) or <c>HttpProtobuf</c> (then the endpoint is the base, and <c>v1/traces</c> and <c>v1/metrics</c> are appended as the OTLP specification says).</summary>
    public OpenTelemetry.Exporter.OtlpExportProtocol OtlpProtocol { get; set; } = OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;

    /// <summary>Write every span and metric to the console: for the sandbox; off by default because it is loud (a span per ARM call).</summary>
    public bool Console { get; set; }

    /// <summary>Whether anything is collected, given the environment's <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public bool IsEnabled(string? otlpEnvironmentEndpoint)
        => Enabled ?? (OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(otlpEnvironmentEndpoint) || Console);
}
