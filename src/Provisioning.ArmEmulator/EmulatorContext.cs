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
    public EmulatorContext(ArmEmulatorOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        Options = options;
        Time = time;
        Logger = loggers.CreateLogger("Provisioning.ArmEmulator");
        Store = new ResourceStore();
        Faults = new EmulatorFaults(options.Faults, options.Seed);
        Operations = new OperationTracker(Store, time, Logger);
        Directory = new PrincipalDirectory(time);
        Schemas = new SchemaCatalog();
        Validator = new SchemaValidator(Schemas);
        Events = new EventBus();
    }

    public ArmEmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

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
}
