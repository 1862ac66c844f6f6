using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Provisioning.Durable.Embedded;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Bench;

/// <summary>A running backend under measurement: its client, and how the bench learns that instances finished.</summary>
public abstract class BenchHost : IAsyncDisposable
{
    public abstract DurableTaskClient Client { get; }

    /// <summary>Store commits, operations and synced commits so far, for a backend that counts them.</summary>
    public virtual (long Commits, long Operations, long SyncedCommits)? StoreCounters => null;

    /// <summary>
    /// Called before <paramref name="count"/> instances are scheduled; the returned function, given their ids,
    /// completes when all of them finished.
    /// </summary>
    public abstract Func<IReadOnlyList<string>, Task> ExpectFinished(int count);

    public abstract ValueTask DisposeAsync();
}

/// <summary>The embedded backend, on a SQLite file or in memory; finished instances are counted from its log.</summary>
public sealed class EmbeddedBenchHost : BenchHost
{
    private readonly EmbeddedEngineHost _host;
    private readonly FinishedInstanceCounter _counter;

    private EmbeddedBenchHost(EmbeddedEngineHost host, FinishedInstanceCounter counter)
    {
        _host = host;
        _counter = counter;
    }

    public override DurableTaskClient Client => _host.Client;

    public override (long Commits, long Operations, long SyncedCommits)? StoreCounters
        => (_host.Engine.StoreCommitCount, _host.Engine.StoreOperationCount, _host.Engine.StoreSyncedCommitCount);

    public static async Task<BenchHost> StartAsync(
        Action<DurableTaskRegistry> tasks, string? databasePath, StoreDurability durability, FinishedInstanceCounter counter, ILoggerFactory loggerFactory)
    {
        var host = await EmbeddedEngineHost.StartAsync(
            tasks,
            databasePath,
            loggerFactory: loggerFactory,
            configureOptions: options =>
            {
                options.Durability = durability;
                options.MaxConcurrentOrchestrations = 256;
                options.MaxConcurrentActivities = 256;
            });
        return new EmbeddedBenchHost(host, counter);
    }

    public override Func<IReadOnlyList<string>, Task> ExpectFinished(int count)
    {
        var reached = _counter.Expect(count);
        return _ => reached;
    }

    public override ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>
/// The SDK's official in-process test host (Microsoft.DurableTask.InProcessTestHost): an in-memory orchestration
/// service behind a gRPC sidecar on loopback, with the SDK's gRPC worker and client.
/// </summary>
public sealed class OfficialTestHostBenchHost : BenchHost
{
    private readonly DurableTaskTestHost _host;

    private OfficialTestHostBenchHost(DurableTaskTestHost host) => _host = host;

    public override DurableTaskClient Client => _host.Client;

    public static async Task<BenchHost> StartAsync(Action<DurableTaskRegistry> tasks)
    {
        // Its sidecar is a default ASP.NET Core host that logs every gRPC call to the console at Information; like the
        // worker beside it (which logs nothing), it is quietened unless the environment says otherwise, and what it
        // says goes to stderr.
        if (Environment.GetEnvironmentVariable("Logging__LogLevel__Default") is null)
        {
            Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
        }

        Environment.SetEnvironmentVariable("Logging__Console__LogToStandardErrorThreshold", "Trace");

        // The host picks a random port in 30000-40000 when none is given; one the OS just handed out is surer.
        var options = new DurableTaskTestHostOptions { Port = FreeLoopbackPort(), LoggerFactory = NullLoggerFactory.Instance };
        return new OfficialTestHostBenchHost(await DurableTaskTestHost.StartAsync(tasks, options));
    }

    /// <summary>
    /// Walks the ids in start order, one wait at a time: instances that finished already answer at once, so the
    /// walk keeps up with the backend and costs one call per instance rather than thousands of open waits.
    /// </summary>
    public override Func<IReadOnlyList<string>, Task> ExpectFinished(int count) => async ids =>
    {
        foreach (var id in ids)
        {
            var done = await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false);
            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                throw new InvalidOperationException($"{done.Name} {id} ended {done.RuntimeStatus}: {done.FailureDetails}");
            }
        }
    };

    public override ValueTask DisposeAsync() => _host.DisposeAsync();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
