using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Provisioning.Durable.Embedded.Client;
using Provisioning.Durable.Embedded.Execution;
using Provisioning.Durable.Embedded.Storage;
using Provisioning.Durable.Serialization;

namespace Provisioning.Durable.Embedded.Dispatching;

/// <summary>What the dispatchers and the client of one engine share.</summary>
internal sealed class EngineRuntime : IDisposable
{
    public EngineRuntime(
        IInstanceStore store,
        OrchestrationRegistry registry,
        IServiceProvider services,
        EmbeddedEngineOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider time)
    {
        Store = store;
        Registry = registry;
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

    public OrchestrationRegistry Registry { get; }

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

    public void Dispose() => TimerWake.Dispose();
}
