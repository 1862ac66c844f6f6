using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;

namespace Provisioning.Durable.Embedded.Hosting;

/// <summary>
/// The <see cref="DurableTaskWorker"/> build target of the embedded backend: it starts the engine's dispatchers with
/// the tasks registered through <c>AddTasks</c>, and stops them (giving back every lease) when the host stops.
/// </summary>
/// <param name="name">The worker builder's name.</param>
/// <param name="factory">Creates the registered orchestrators and activities.</param>
/// <param name="engine">The container's embedded engine.</param>
internal sealed class EmbeddedDurableTaskWorker(string? name, IDurableTaskFactory factory, EmbeddedEngine engine)
    : DurableTaskWorker(name, factory)
{
    /// <summary>Opens the store before the host reports started, so a store that cannot be used fails the start.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await engine.StartAsync(Factory, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await engine.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
}
