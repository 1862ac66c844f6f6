using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Provisioning.Durable.Embedded;
using Provisioning.Functions.Http;
using Provisioning.Runs;

namespace Provisioning.Functions.Tests;

/// <summary>
/// The app's HTTP functions, made from its services, over a real Durable client: the embedded backend without
/// dispatchers, so started runs stay pending (what a start answers does not depend on the run) and a second start
/// of a pending id meets a run that is still going.
/// </summary>
public sealed class HttpFunctionsFixture : IAsyncLifetime
{
    private ArmSandbox _arm = null!;
    private EmbeddedEngineHost _engine = null!;
    private ServiceProvider _services = null!;

    internal ArmSandbox Arm => _arm;

    public DurableTaskClient Client => _engine.Client;

    public ProvisioningHttpFunctions Provisioning => ActivatorUtilities.CreateInstance<ProvisioningHttpFunctions>(_services);

    public EventGridFunction Events => ActivatorUtilities.CreateInstance<EventGridFunction>(_services);

    public PlanHttpFunctions Plan => ActivatorUtilities.CreateInstance<PlanHttpFunctions>(_services);

    /// <summary>The app's services, as its Program registers them.</summary>
    internal IServiceProvider Services => _services;

    /// <summary>A function context as the worker gives the HTTP functions; they only pass it on.</summary>
    public FunctionContext Context { get; } = new Mock<FunctionContext>().Object;

    public async Task InitializeAsync()
    {
        _arm = await ArmSandbox.StartAsync();
        _engine = await EmbeddedEngineHost.StartAsync(
            registry => registry.AddProvisioning(),
            configureOptions: options => options.DataConverter = RunDataConverter.Instance,
            startDispatchers: false);
        _services = await FunctionsServices.BuildAsync(_arm);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _engine.DisposeAsync();
        await _arm.DisposeAsync();
    }
}
