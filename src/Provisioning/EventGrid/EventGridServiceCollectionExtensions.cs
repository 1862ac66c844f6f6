using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.EventGrid;

// In the DI namespace, so the host registers the triggers without another using.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the Event Grid triggers.</summary>
public static class EventGridServiceCollectionExtensions
{
    /// <summary>
    /// Adds the rules (file from <c>Provisioning:RulesPath</c>, default <c>rules.yaml</c> at the content root; loaded and
    /// checked when the host starts) and <see cref="EventGridRequestHandler"/>, which a host's Event Grid endpoint hands
    /// its requests to. Needs <c>ProvisioningStarter</c>, the <c>DurableTaskClient</c> and, for the tagged-group rule,
    /// <c>ProvisioningArmClient</c> in the container, and an <c>IHostEnvironment</c> (a relative rules path is read
    /// from its content root).
    /// Other settings: <c>Provisioning:EventGrid:FunctionName</c> (default <c>ProvisioningEvents</c>),
    /// <c>Provisioning:Azure:SubscriptionId</c> (rules' default subscription), <c>Provisioning:EventGrid:ForgetTimeout</c>,
    /// <c>Provisioning:EventGrid:AllowedOrigins</c> (CloudEvents handshake; default <c>eventgrid.azure.net</c>).
    /// </summary>
    /// <param name="services">The container.</param>
    /// <param name="configuration">The host's configuration.</param>
    public static IServiceCollection AddEventGridTriggers(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EventGridTriggerOptions>().Configure(options =>
        {
            options.RulesPath = NonEmpty(configuration["Provisioning:RulesPath"]) ?? options.RulesPath;
            options.FunctionName = NonEmpty(configuration["Provisioning:EventGrid:FunctionName"]) ?? options.FunctionName;
            options.DefaultSubscriptionId = NonEmpty(configuration["Provisioning:Azure:SubscriptionId"]);
            if (NonEmpty(configuration["Provisioning:EventGrid:ForgetTimeout"]) is { } timeout)
            {
                options.ForgetTimeout = TimeSpan.Parse(timeout, CultureInfo.InvariantCulture);
            }

            options.AllowedOrigins = NonEmpty(configuration["Provisioning:EventGrid:AllowedOrigins"]) ?? options.AllowedOrigins;
            if (NonEmpty(configuration["Provisioning:EventGrid:SettleDelay"]) is { } settle)
            {
                options.SettleDelay = TimeSpan.Parse(settle, CultureInfo.InvariantCulture);
            }
        });
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<EventRules>();
        services.TryAddSingleton<EventDispatcher>();
        services.TryAddSingleton(provider => new EventGridRequestHandler(
            provider.GetRequiredService<EventDispatcher>(),
            provider.GetRequiredService<IOptions<EventGridTriggerOptions>>(),
            provider.GetRequiredService<ILogger<EventDispatcher>>()));
        services.AddHostedService<EventRulesStartup>();
        return services;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
