using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Provisioning.Durable.Embedded.Client;
using Provisioning.Durable.Embedded.Diagnostics;
using Provisioning.Durable.Embedded.Dispatching;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded;

/// <summary>
/// The embedded backend's engine: a SQLite store, the orchestration and activity dispatchers, and a client. The
/// worker that <c>UseEmbedded</c> plugs into <c>AddDurableTaskWorker</c> starts its dispatchers with the SDK's
/// <see cref="IDurableTaskFactory"/>; the client that <c>UseEmbedded</c> plugs into <c>AddDurableTaskClient</c>
/// only needs its store. Tests can use <see cref="EmbeddedEngineHost"/>.
/// </summary>
public sealed class EmbeddedEngine : IAsyncDisposable
{
    private readonly EngineRuntime _runtime;
    private readonly SqliteInstanceStore _store;
    private readonly Lazy<Task> _initialization;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _stopping;
    private Task? _loops;
    private bool _disposed;

    /// <summary>Creates an engine; nothing is opened until the first client call or <see cref="StartAsync"/>.</summary>
    public EmbeddedEngine(
        EmbeddedEngineOptions options,
        IServiceProvider services,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        if (options.LeaseDuration <= TimeSpan.Zero || options.PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("LeaseDuration and PollInterval must be positive.", nameof(options));
        }

        var time = options.TimeProvider ?? timeProvider ?? TimeProvider.System;
        _store = new SqliteInstanceStore(options.DatabasePath, options.InMemory, options.Durability, options.HubName, time);
        _runtime = new EngineRuntime(_store, services, options, loggerFactory ?? NullLoggerFactory.Instance, time);

        // A store that cannot be opened fails every call with the same clear error, once, instead of a retry loop.
        _initialization = new Lazy<Task>(() => _store.InitializeAsync(CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
        Client = new EmbeddedDurableTaskClient("embedded", this);
    }

    /// <summary>A client of this engine (the one <c>AddDurableTaskClient(b =&gt; b.UseEmbedded())</c> resolves works the same).</summary>
    public DurableTaskClient Client { get; }

    /// <summary>Where the engine keeps its state: the full database path, or <c>:memory:</c>.</summary>
    public string StoreLocation => _runtime.Options.InMemory ? ":memory:" : Path.GetFullPath(_runtime.Options.DatabasePath);

    /// <summary>Store transactions committed so far; with <see cref="StoreOperationCount"/> it shows the group-commit batching.</summary>
    public long StoreCommitCount => _store.CommitCount;

    /// <summary>Store operations run so far.</summary>
    public long StoreOperationCount => _store.OperationCount;

    /// <summary>
    /// Store commits synced to disk so far (under <see cref="StoreDurability.Full"/>; none in memory or under
    /// <see cref="StoreDurability.Normal"/>): the benchmark's count of what a durable step pays for.
    /// </summary>
    public long StoreSyncedCommitCount => _store.SyncedCommitCount;

    /// <summary>Opens the store and starts the dispatchers, which create orchestrators and activities with <paramref name="factory"/>.</summary>
    /// <exception cref="DurableStoreException">The database file cannot be used.</exception>
    public async Task StartAsync(IDurableTaskFactory factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await ReadyAsync(cancellationToken);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loops is not null)
            {
                return;
            }

            _runtime.Factory = factory;

            _stopping = new CancellationTokenSource();
            var stopping = _stopping.Token;
            _runtime.Dispatching = stopping;
            _loops = Task.WhenAll(
                Task.Run(() => new OrchestrationDispatcher(_runtime).RunAsync(stopping), CancellationToken.None),
                Task.Run(() => new ActivityDispatcher(_runtime).RunAsync(stopping), CancellationToken.None),
                Task.Run(() => new LeaseKeeper(_runtime).RunAsync(stopping), CancellationToken.None));
        }

        EngineLog.EngineStarted(_runtime.Logger, _runtime.Options.HubName, StoreLocation, _runtime.Worker);
    }

    /// <summary>Stops the dispatchers: running activities are awaited (the SDK gives them no cancellation token), leases are given back.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task? loops;
        CancellationTokenSource? stopping;
        lock (_gate)
        {
            loops = _loops;
            stopping = _stopping;
            _loops = null;
            _stopping = null;
        }

        if (loops is null || stopping is null)
        {
            return;
        }

        await stopping.CancelAsync();
        await loops.WaitAsync(cancellationToken);
        stopping.Dispose();
        await _store.ReleaseAllLeasesAsync(_runtime.Worker, cancellationToken);
        EngineLog.EngineStopped(_runtime.Logger, _runtime.Worker);
    }

    /// <summary>Stops the engine and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopAsync();
        lock (_gate)
        {
            _disposed = true;
        }

        await _store.DisposeAsync();
        _runtime.Dispose();
    }

    internal async Task<EngineRuntime> ReadyAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _initialization.Value.WaitAsync(cancellationToken);
        return _runtime;
    }
}
