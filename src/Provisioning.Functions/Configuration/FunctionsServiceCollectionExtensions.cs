using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Provisioning.Arm;
using Provisioning.Arm.Pipeline;
using Provisioning.EventGrid;
using Provisioning.Orchestrations;
using Provisioning.Runs;
using Provisioning.Secrets;
using Provisioning.Templates;
using Provisioning.Templates.Loading;

namespace Provisioning.Functions.Configuration;

/// <summary>What the functions need, registered once for the app (and for tests, the same way).</summary>
public static class FunctionsServiceCollectionExtensions
{
    /// <summary>
    /// Loads the templates and registers them, the rules and the Event Grid handler, the ARM client (Azure, with
    /// <c>DefaultAzureCredential</c>: in Azure the app's user-assigned identity, chosen by <c>AZURE_CLIENT_ID</c>; protected
    /// secrets resolved just before each request, see <see cref="FunctionsSecrets"/>), the
    /// settings, the worker's serializer: the web JSON of <see cref="RunDataConverter"/>, which Durable Functions
    /// then uses for run inputs, outputs and activity payloads, so they look as on the self-hosted host; and telemetry
    /// when an exporter is configured (<see cref="FunctionsTelemetry"/>).
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration (app settings).</param>
    /// <param name="appDirectory">The folder relative paths (templates, rules) are read from: the app's own folder.</param>
    /// <param name="cancellationToken">Cancels loading the templates.</param>
    /// <exception cref="TemplateException">A template file is invalid (every error names the file, the field and the fix).</exception>
    public static async Task<IServiceCollection> AddProvisioningFunctionsAsync(
        this IServiceCollection services, IConfiguration configuration, string appDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(FunctionsAppSettings.SectionName);
        var settings = new FunctionsAppSettings
        {
            SubscriptionId = NonEmpty(section["Azure:SubscriptionId"]),
            ResourceManagerEndpoint = NonEmpty(section["Azure:ResourceManagerEndpoint"]) is { } endpoint ? new Uri(endpoint) : null,
        };
        settings.TemplatesPath = NonEmpty(section["TemplatesPath"]) ?? settings.TemplatesPath;
        settings.DefaultLocation = NonEmpty(section["DefaultLocation"]) ?? settings.DefaultLocation;
        services.AddSingleton(settings);

        var catalog = await TemplateCatalog.LoadFolderAsync(Path.Combine(appDirectory, settings.TemplatesPath), cancellationToken);
        services.AddSingleton(catalog);
        var timings = section.GetSection("Timings").Get<ProvisioningTimings>();
        services.AddSingleton(provider => new RunStarters(catalog, timings, provider.GetRequiredService<SecretProtector>()));

        services.AddEventGridTriggers(configuration);
        services.PostConfigure<EventGridTriggerOptions>(options => options.RulesPath = Path.Combine(appDirectory, options.RulesPath));
        services.AddProvisioningSecrets(configuration);
        services.AddSingleton(provider =>
        {
            var options = new ArmClientOptions { SecretResolver = provider.GetRequiredService<SecretProtector>() };
            if (settings.ResourceManagerEndpoint is { } arm)
            {
                options.Endpoint = arm;
            }
            return ProvisioningArmClient.ForAzure(options, provider.GetService<ILoggerFactory>());
        });
        services.Configure<WorkerOptions>(worker => worker.Serializer = new JsonObjectSerializer(RunDataConverter.SerializerOptions));
        services.AddProvisioningFunctionsTelemetry(configuration);
        return services;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
