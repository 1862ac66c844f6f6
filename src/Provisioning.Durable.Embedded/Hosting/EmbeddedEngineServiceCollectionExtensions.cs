using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Durable;
using Provisioning.Durable.Client;
using Provisioning.Durable.Embedded;
using Provisioning.Durable.Embedded.Hosting;

// In the DI namespace so the extension is found where services are configured.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the embedded durable engine.</summary>
public static class EmbeddedEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine, its hosted service (which runs the dispatchers) and <see cref="OrchestrationClient"/>.
    /// Orchestrations and activities are registered on the <see cref="OrchestrationRegistry"/> singleton, which this
    /// creates if absent; activities are resolved from the container, one scope per execution.
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configure">Sets the engine options (database path, in-memory, concurrency, lease, hub).</param>
    /// <param name="registry">Registers orchestrations and activities.</param>
    public static IServiceCollection AddEmbeddedDurableEngine(
        this IServiceCollection services,
        Action<EmbeddedEngineOptions>? configure = null,
        Action<OrchestrationRegistry>? registry = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<EmbeddedEngineOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        var existing = services.FirstOrDefault(descriptor => descriptor.ServiceType == typeof(OrchestrationRegistry) && descriptor.ImplementationInstance is OrchestrationRegistry);
        var orchestrations = existing?.ImplementationInstance as OrchestrationRegistry ?? new OrchestrationRegistry();
        if (existing is null)
        {
            services.TryAddSingleton(orchestrations);
        }

        registry?.Invoke(orchestrations);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new EmbeddedEngine(
            provider.GetRequiredService<IOptions<EmbeddedEngineOptions>>().Value,
            provider.GetRequiredService<OrchestrationRegistry>(),
            provider,
            provider.GetService<ILoggerFactory>(),
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<OrchestrationClient>(provider => provider.GetRequiredService<EmbeddedEngine>().Client);
        services.AddHostedService<EmbeddedEngineHostedService>();
        return services;
    }
}
