using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.EventGrid;
using Provisioning.ArmEmulator.Faults;
using Provisioning.ArmEmulator.State;
using Provisioning.ArmEmulator.Validation;

namespace Provisioning.ArmEmulator;

/// <summary>The services every resource provider shares.</summary>
internal sealed class EmulatorContext
{
    public EmulatorContext(ArmEmulatorOptions options, TimeProvider time, ILoggerFactory loggers, StatePersistence persistence)
    {
        Options = options;
        Time = time;
        Logger = loggers.CreateLogger("Provisioning.ArmEmulator");
        Persistence = persistence;
        Store = new ResourceStore();
        Faults = new EmulatorFaults(options.Faults, options.Seed);
        Operations = new OperationTracker(Store, time, Logger, persistence);
        Directory = new PrincipalDirectory(time);
        Schemas = new SchemaCatalog();
        Validator = new SchemaValidator(Schemas);
        Events = new EventBus();
    }

    public ArmEmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    /// <summary>Where the emulated Azure is saved (or not, in memory only).</summary>
    public StatePersistence Persistence { get; }

    public ResourceStore Store { get; }

    public EmulatorFaults Faults { get; }

    public OperationTracker Operations { get; }

    public PrincipalDirectory Directory { get; }

    /// <summary>The official schemas and the api-versions published for each type.</summary>
    public SchemaCatalog Schemas { get; }

    public SchemaValidator Validator { get; }

    public EventBus Events { get; }

    /// <summary>The server's base address, known once Kestrel listens.</summary>
    public Uri BaseUri { get; set; } = new("https://127.0.0.1/");

    public string SubscriptionId => Options.SubscriptionId;

    public string TenantId => Options.TenantId;

    /// <summary>
    /// Runs a unit of work outside an ARM request (an admin change, a delivery outcome) under the store lock and saves
    /// what it changed; with <paramref name="durable"/>, returns only once that is on disk. Called from inside another
    /// unit (the lock already held), it joins that unit, which saves everything when it ends.
    /// </summary>
    public T Change<T>(Func<T> change, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (Monitor.IsEntered(Store.Sync))
        {
            return change();
        }

        long position;
        T result;
        lock (Store.Sync)
        {
            try
            {
                result = change();
            }
            finally
            {
                position = Persistence.Commit();
            }
        }

        if (durable)
        {
            Persistence.WaitDurable(position);
        }

        return result;
    }

    /// <summary>The <see cref="Change{T}(Func{T}, bool)"/> of a unit that returns nothing.</summary>
    public void Change(Action change, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(change);
        Change(
            () =>
            {
                change();
                return true;
            },
            durable);
    }

    /// <summary>The position every change made so far will be durable at (takes the store lock, so no unit is half done).</summary>
    public long CommittedPosition()
    {
        lock (Store.Sync)
        {
            return Persistence.AppendedPosition;
        }
    }
}
