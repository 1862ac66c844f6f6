using Microsoft.Extensions.Hosting;

namespace Provisioning.Durable.Embedded.Hosting;

/// <summary>Runs the engine's dispatchers for the lifetime of the host.</summary>
internal sealed class EmbeddedEngineHostedService(EmbeddedEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => engine.StopAsync(cancellationToken);
}
