using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Provisioning.Durable.Embedded;

/// <summary>
/// The embedded backend in-process, ready for tests, in the shape of the SDK's <c>DurableTaskTestHost</c>: a
/// container with the tasks registered through the SDK's builders, the worker started, and its client. Use a fake
/// <see cref="TimeProvider"/> to skip durable timers (a 15-minute wait ends at once); omit the path to keep state in
/// memory.
/// <code>
/// await using var host = await EmbeddedEngineHost.StartAsync(r => r.AddOrchestrator&lt;MyFlow&gt;().AddActivity&lt;MyStep&gt;(), timeProvider: clock);
/// var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(MyFlow), input);
/// var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
/// </code>
/// </summary>
public sealed class EmbeddedEngineHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IReadOnlyList<IHostedService> _workers;

    private EmbeddedEngineHost(ServiceProvider services, IReadOnlyList<IHostedService> workers, TimeProvider time)
    {
        _services = services;
        _workers = workers;
        TimeProvider = time;
        Engine = services.GetRequiredService<EmbeddedEngine>();
        Client = services.GetRequiredService<DurableTaskClient>();
    }

    /// <summary>The engine.</summary>
    public EmbeddedEngine Engine { get; }

    /// <summary>The client, as <c>AddDurableTaskClient(b =&gt; b.UseEmbedded())</c> resolves it.</summary>
    public DurableTaskClient Client { get; }

    /// <summary>The container activities are resolved from.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The clock the engine uses.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Builds the container, opens the store and starts the worker.</summary>
    /// <param name="tasks">Registers the orchestrators and activities.</param>
    /// <param name="databasePath">The SQLite file; <c>null</c> keeps state in memory.</param>
    /// <param name="timeProvider">The clock (a fake one in tests); the system clock when <c>null</c>.</param>
    /// <param name="configureOptions">Further engine options.</param>
    /// <param name="configureServices">Services the activities need.</param>
    /// <param name="loggerFactory">Where engine logs go; nowhere when <c>null</c>.</param>
    /// <param name="startDispatchers"><c>false</c> gives a client-only host (e.g. to inspect a database another process runs).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EmbeddedEngineHost> StartAsync(
        Action<DurableTaskRegistry> tasks,
        string? databasePath = null,
        TimeProvider? timeProvider = null,
        Action<EmbeddedEngineOptions>? configureOptions = null,
        Action<IServiceCollection>? configureServices = null,
        ILoggerFactory? loggerFactory = null,
        bool startDispatchers = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var time = timeProvider ?? TimeProvider.System;
        var services = new ServiceCollection();
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        configureServices?.Invoke(services);
        services.AddSingleton(time);
        void Configure(EmbeddedEngineOptions options)
        {
            options.InMemory = databasePath is null;
            options.DatabasePath = databasePath ?? options.DatabasePath;
            configureOptions?.Invoke(options);
        }

        if (startDispatchers)
        {
            services.AddDurableTaskWorker(builder => builder.AddTasks(tasks).UseEmbedded(Configure));
        }

        services.AddDurableTaskClient(builder => builder.UseEmbedded(Configure));
        var provider = services.BuildServiceProvider();
        var workers = provider.GetServices<IHostedService>().ToList();
        try
        {
            foreach (var worker in workers)
            {
                await worker.StartAsync(cancellationToken);
            }
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }

        return new EmbeddedEngineHost(provider, workers, time);
    }

    /// <summary>Stops the worker, closes the store and disposes the container.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.StopAsync(CancellationToken.None);
        }

        await Engine.DisposeAsync();
        await _services.DisposeAsync();
    }
}
