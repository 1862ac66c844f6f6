using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Logging;
using Provisioning.Durable.Embedded.Client;
using Provisioning.Durable.Embedded.Execution;
using Provisioning.Durable.Embedded.Storage;

namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>What the dispatchers and the client of one engine share.</summary>
internal sealed class EngineRuntime : IDisposable
{
    public EngineRuntime(
        IInstanceStore store,
        IServiceProvider services,
        EmbeddedEngineOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider time)
    {
        Store = store;
        Services = services;
        Options = options;
        LoggerFactory = loggerFactory;
        Logger = loggerFactory.CreateLogger("Provisioning.Durable.Embedded");
        Time = time;
        Converter = options.DataConverter;
        Worker = WorkerIdentity.Create(options.HubName);
        Executions = new ExecutionCache(options.MaxCachedExecutions);
        TimerWake = new TimerWake(time, OrchestrationSignal.Set);
    }

    public IInstanceStore Store { get; }

    /// <summary>Creates orchestrators and activities by name; set when a worker starts the dispatchers.</summary>
    public IDurableTaskFactory Factory { get; set; } = EmptyFactory.Instance;

    /// <summary>
    /// Cancelled when this engine's dispatchers stop; <c>default</c> (never cancelled, <c>CanBeCanceled</c> false)
    /// while none run, as in a client-only engine.
    /// </summary>
    public CancellationToken Dispatching { get; set; }

    /// <summary>Whether this process runs orchestrations and activities now: its dispatchers are started and not stopping.</summary>
    public bool IsDispatching => Dispatching.CanBeCanceled && !Dispatching.IsCancellationRequested;

    /// <summary>
    /// Slots for first episodes run on the creating caller's thread (see
    /// <see cref="OrchestrationWorker.CreateWithFirstEpisodeAsync"/>), one per core. When a burst of creations holds
    /// them all, the rest are stored as starts for the dispatcher, which leases them in batches and runs them within
    /// its concurrency limit: in a burst of 3,000 HelloSequence5 that was about 10 % faster than running every first
    /// episode on its caller, and with a slot per core it loses nothing to it.
    /// </summary>
    public SemaphoreSlim InlineFirstEpisodes { get; } = new(Environment.ProcessorCount);

    public IServiceProvider Services { get; }

    public EmbeddedEngineOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public DataConverter Converter { get; }

    /// <summary>This engine's lease owner name.</summary>
    public string Worker { get; }

    public ExecutionCache Executions { get; }

    public InstanceChangeNotifier Changes { get; } = new();

    public WorkSignal OrchestrationSignal { get; } = new();

    public WorkSignal ActivitySignal { get; } = new();

    public TimerWake TimerWake { get; }

    /// <summary>Activity calls this worker's own episodes stored already leased to it, waiting for a free slot.</summary>
    public ConcurrentQueue<ActivityWorkItem> LeasedActivities { get; } = new();

    /// <summary>A message or start at <paramref name="visibleAt"/> was written: wake the dispatcher now or then.</summary>
    public void MessageQueued(DateTimeOffset visibleAt)
    {
        if (visibleAt <= Time.GetUtcNow())
        {
            OrchestrationSignal.Set();
        }
        else
        {
            TimerWake.WakeAt(visibleAt);
        }
    }

    // InlineFirstEpisodes is left undisposed: a creation still running at shutdown releases its slot after this, and a
    // semaphore whose wait handle is never used holds nothing to free.
    public void Dispose() => TimerWake.Dispose();

    /// <summary>The factory of a client-only engine: it runs nothing.</summary>
    private sealed class EmptyFactory : IDurableTaskFactory
    {
        public static EmptyFactory Instance { get; } = new();

        public bool TryCreateActivity(TaskName name, IServiceProvider serviceProvider, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ITaskActivity? activity)
        {
            activity = null;
            return false;
        }

        public bool TryCreateOrchestrator(TaskName name, IServiceProvider serviceProvider, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ITaskOrchestrator? orchestrator)
        {
            orchestrator = null;
            return false;
        }
    }
}
