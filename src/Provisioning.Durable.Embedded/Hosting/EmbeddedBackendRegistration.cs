using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioning.Durable.Embedded.Hosting;

/// <summary>What the worker and the client of the embedded backend share in a container: one options object and one engine.</summary>
internal static class EmbeddedBackendRegistration
{
    public static void AddEngine(IServiceCollection services, Action<EmbeddedEngineOptions>? configure)
    {
        var options = services.AddOptions<EmbeddedEngineOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(provider => new EmbeddedEngine(
            provider.GetRequiredService<IOptions<EmbeddedEngineOptions>>().Value,
            provider,
            provider.GetService<ILoggerFactory>(),
            provider.GetService<TimeProvider>()));
    }
}
