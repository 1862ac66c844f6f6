namespace Provisioning.Host.Configuration;

/// <summary>
/// Which Durable Task backend runs the host's orchestrations (<c>Provisioning:Durable</c>): the embedded SQLite store,
/// the default for one machine, or a Durable Task gRPC sidecar (the Durable Task Scheduler emulator, a sidecar in
/// front of Azure Storage or SQL, or any other) when the work outgrows one machine. Nothing else changes.
/// </summary>
public sealed class DurableBackendSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Provisioning:Durable";

    /// <summary><see cref="DurableBackend.Embedded"/> (default) or <see cref="DurableBackend.Grpc"/>.</summary>
    public DurableBackend Backend { get; set; } = DurableBackend.Embedded;

    /// <summary>The sidecar's address for <see cref="DurableBackend.Grpc"/>, e.g. <c>http://localhost:4001</c>.</summary>
    public string? GrpcAddress { get; set; }
}

/// <summary>A Durable Task backend the self-hosted host can run on.</summary>
public enum DurableBackend
{
    /// <summary>The embedded SQLite backend, in this process.</summary>
    Embedded,

    /// <summary>A Durable Task sidecar reached over gRPC.</summary>
    Grpc,
}
