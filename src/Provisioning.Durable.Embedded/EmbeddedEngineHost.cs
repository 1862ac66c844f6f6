using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provisioning.Durable.Client;

namespace Provisioning.Durable.Embedded;

/// <summary>
/// The engine in-process, ready for tests: a container with the given registrations, the engine started, and its
/// client. Use a fake <see cref="TimeProvider"/> to skip durable timers; omit the path to keep state in memory.
/// <code>
/// await using var host = await EmbeddedEngineHost.StartAsync(r => r.AddOrchestrator&lt;MyFlow&gt;().AddActivity&lt;MyStep&gt;(), timeProvider: clock);
/// var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(MyFlow), input);
/// var done = await host.Client.WaitForInstanceCompletionAsync(id);
/// </code>
/// </summary>
public sealed class EmbeddedEngineHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private EmbeddedEngineHost(ServiceProvider services, EmbeddedEngine engine, TimeProvider time)
    {
        _services = services;
        Engine = engine;
        TimeProvider = time;
    }

    /// <summary>The engine.</summary>
    public EmbeddedEngine Engine { get; }

    /// <summary>The engine's client.</summary>
    public OrchestrationClient Client => Engine.Client;

    /// <summary>The container activities are resolved from.</summary>
    public IServiceProvider Services => _services;

    /// <summary>The clock the engine uses.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Builds the container, opens the store and starts the dispatchers.</summary>
    /// <param name="registry">Registers the orchestrations and activities.</param>
    /// <param name="databasePath">The SQLite file; <c>null</c> keeps state in memory.</param>
    /// <param name="timeProvider">The clock (a fake one in tests); the system clock when <c>null</c>.</param>
    /// <param name="configureOptions">Further engine options.</param>
    /// <param name="configureServices">Services the activities need.</param>
    /// <param name="loggerFactory">Where engine logs go; nowhere when <c>null</c>.</param>
    /// <param name="startDispatchers"><c>false</c> gives a client-only host (e.g. to inspect a database another process runs).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<EmbeddedEngineHost> StartAsync(
        Action<OrchestrationRegistry> registry,
        string? databasePath = null,
        TimeProvider? timeProvider = null,
        Action<EmbeddedEngineOptions>? configureOptions = null,
        Action<IServiceCollection>? configureServices = null,
        ILoggerFactory? loggerFactory = null,
        bool startDispatchers = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var time = timeProvider ?? TimeProvider.System;
        var services = new ServiceCollection();
        if (loggerFactory is not null)
        {
            services.AddSingleton(loggerFactory);
        }

        configureServices?.Invoke(services);
        services.AddSingleton(time);
        services.AddEmbeddedDurableEngine(
            options =>
            {
                options.InMemory = databasePath is null;
                options.DatabasePath = databasePath ?? options.DatabasePath;
                configureOptions?.Invoke(options);
            },
            registry);
        var provider = services.BuildServiceProvider();
        var engine = provider.GetRequiredService<EmbeddedEngine>();
        try
        {
            if (startDispatchers)
            {
                await engine.StartAsync(cancellationToken);
            }
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }

        return new EmbeddedEngineHost(provider, engine, time);
    }

    /// <summary>Stops the engine and disposes the container.</summary>
    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        await _services.DisposeAsync();
    }
}
