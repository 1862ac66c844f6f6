using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Provisioning.Durable.Parity.Tests;

/// <summary>The official in-process sidecar (Microsoft.DurableTask.InProcessTestHost) with a gRPC worker and client.</summary>
public sealed class OfficialTestHostBackend : IParityBackend
{
    public BackendCapabilities Capabilities { get; } = new()
    {
        SupportsRestart = true,
        DetectsNonDeterminism = true,

        // The sidecar in 0.2.3-preview.1 drops the self-addressed events the worker forwards on ContinueAsNew
        // (fixed upstream after that release, durabletask-dotnet #708).
        PreservesUnprocessedEventsOnContinueAsNew = false,

        // Its QueryInstances copies input, output and custom status whatever the request asks.
        QueriesHonorFetchInputsAndOutputs = false,
    };

    static OfficialTestHostBackend()
    {
        // DurableTaskTestHost builds two Host.CreateDefaultBuilder() hosts and offers no hook into either, so they
        // are configured the only way left: environment variables, for every default host in this test process.
        // Each host watches appsettings*.json through inotify and the watchers outlive the disposed hosts; a few
        // test processes at once exhaust the per-user inotify limit (128 by default on Linux).
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");

        // The gRPC sidecar logs every request to the console at Information.
        Environment.SetEnvironmentVariable("Logging__LogLevel__Default", "Warning");
    }

    public async Task<ParityHost> StartAsync(Action<DurableTaskRegistry> tasks)
    {
        // The host picks a random port in 30000-40000 when none is given; a port the OS just handed out
        // collides less often when several hosts start at once.
        var options = new DurableTaskTestHostOptions
        {
            Port = FreeLoopbackPort(),
            LoggerFactory = NullLoggerFactory.Instance,
        };
        var host = await DurableTaskTestHost.StartAsync(tasks, options);
        return new ParityHost(host.Client, host.DisposeAsync);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
