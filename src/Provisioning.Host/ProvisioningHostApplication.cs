using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Provisioning.Arm;
using Provisioning.Arm.Pipeline;
using Provisioning.Drift;
using Provisioning.Host.Configuration;
using Provisioning.Host.Http;
using Provisioning.Host.Samples;
using Provisioning.Host.Sandbox;
using Provisioning.Orchestrations;
using Provisioning.Runs;
using Provisioning.Secrets;
using Provisioning.Templates;
using Provisioning.Templates.Loading;

namespace Provisioning.Host;

/// <summary>
/// Builds the self-hosted app: configuration read as an Azure Functions app reads it, the embedded durable engine,
/// ARM (Azure, or the sandbox's emulator: <c>Provisioning:Mode</c>, see <see cref="ProvisioningSettings.ResolveMode"/>),
/// the templates, and the HTTP API. Tests build it the same way, on an ephemeral loopback port.
/// </summary>
public static class ProvisioningHostApplication
{
    /// <summary>The port Azure Functions Core Tools uses, so local URLs look the same.</summary>
    public const string DefaultUrl = "http://localhost:7071";

    /// <summary>Builds the app; <paramref name="configure"/> can adjust services (e.g. a test clock) before it is built.</summary>
    /// <exception cref="TemplateException">A template file is invalid (every error names the file, the field and the fix).</exception>
    /// <exception cref="ProvisioningSettingsException">The settings cannot start the host (the message says what to set).</exception>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddFunctionsSettings(builder.Environment.ContentRootPath);
        builder.Configuration.AddCommandLine(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddProblemDetails();
        builder.Services.Configure<DurableTaskSettings>(builder.Configuration.GetSection(DurableTaskSettings.SectionName));
        builder.Services.Configure<ProvisioningSettings>(builder.Configuration.GetSection(ProvisioningSettings.SectionName));

        var durable = builder.Configuration.GetSection(DurableTaskSettings.SectionName).Get<DurableTaskSettings>() ?? new DurableTaskSettings();
        var settings = builder.Configuration.GetSection(ProvisioningSettings.SectionName).Get<ProvisioningSettings>() ?? new ProvisioningSettings();
        var mode = settings.ResolveMode();
        var timings = builder.Configuration.GetSection($"{ProvisioningSettings.SectionName}:Timings").Get<ProvisioningTimings>();
        var dataDirectory = Path.GetFullPath(builder.Configuration["Provisioning:DataDirectory"] ?? Path.Combine(builder.Environment.ContentRootPath, ".data"));
        builder.Services.AddFunctionKeys(builder.Configuration, dataDirectory);
        builder.Services.AddProvisioningRateLimits(builder.Configuration);
        builder.Services.AddProvisioningSecrets(dataDirectory);

        await AddArmAsync(builder, settings, mode, dataDirectory, cancellationToken);
        var catalog = await LoadTemplatesAsync(Path.Combine(builder.Environment.ContentRootPath, settings.TemplatesPath), cancellationToken);
        builder.Services.AddSingleton(catalog);
        // The sample orchestrations are for trying the engine in the sandbox; a host on Azure runs only the product's.
        var samples = mode == ProvisioningMode.Sandbox;
        builder.Services.AddSingleton(new RegisteredOrchestrators(Orchestrators(samples).Select(type => type.Name)));
        builder.Services.AddSingleton(provider => new ProvisioningStarter(catalog, provider.GetRequiredService<DurableTaskClient>(), timings, secrets: provider.GetRequiredService<SecretProtector>()));
        builder.Services.AddEventGridTriggers(builder.Configuration);
        builder.Services.AddHostedService(provider => new DriftTimer(builder.Configuration[DriftTimer.ScheduleKey], provider.GetRequiredService<DurableTaskClient>(), provider.GetService<TimeProvider>() ?? TimeProvider.System, provider.GetRequiredService<ILogger<DriftTimer>>()));
        var backend = builder.Configuration.GetSection(DurableBackendSettings.SectionName).Get<DurableBackendSettings>() ?? new DurableBackendSettings();
        builder.Services.AddDurableBackend(
            backend,
            options =>
            {
                options.HubName = durable.HubName;
                options.InMemory = durable.Storage.InMemory;
                options.DatabasePath = durable.Storage.DatabasePath ?? Path.Combine(dataDirectory, $"{durable.HubName}.db");
                options.MaxConcurrentActivities = durable.MaxConcurrentActivityFunctions;
                options.MaxConcurrentOrchestrations = durable.MaxConcurrentOrchestratorFunctions;
                options.DataConverter = RunDataConverter.Instance;
            },
            registry => RegisterOrchestrations(registry, samples));

        builder.AddProvisioningTelemetry();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.MapDurableHttpApi();
        app.MapProvisioningApi();
        app.MapDriftApi().MapPlanApi();
        app.MapEventGridWebhook();
        app.MapDashboard();
        app.MapGet("/admin/host/status", () => Results.Json(new { state = "Running" }))
            .AddEndpointFilter(new FunctionKeyFilter(KeyScope.System));
        return app;
    }

    /// <summary>Prints what a newcomer can try, with the keys and the address the host listens on.</summary>
    public static void PrintWelcome(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var keys = app.Services.GetRequiredService<IOptions<FunctionKeyOptions>>().Value;
        var address = app.Urls.FirstOrDefault() ?? DefaultUrl;
        var api = $"{address}{CheckStatusPayload.WebhookPath}";
        var sandbox = app.Services.GetService<SandboxEnvironment>();
        var target = app.Services.GetRequiredService<ArmTarget>();
        Console.WriteLine($$"""

            Provisioning Functions host is listening on {{address}}
              ARM:          {{(sandbox is null ? $"Azure, subscription {target.SubscriptionId}" : $"sandbox emulator {(sandbox.IsExternal ? "(external) " : string.Empty)}at {sandbox.BaseUri} (subscription {target.SubscriptionId})")}}
              system key:   {{keys.SystemKey}}
              function key: {{keys.FunctionKey}}
            """);
        if (sandbox is not null)
        {
            Console.WriteLine($$$"""

                Provision the sample template into the sandbox, then watch the run wait for the grant:
                  curl -s -X POST "{{{address}}}/api/provisioning/web?code={{{keys.FunctionKey}}}" -H 'Content-Type: application/json' \
                    -d '{"resourceGroup":"{{{sandbox.Settings.ResourceGroup}}}","parameters":{"image":"{{{sandbox.ImageReference}}}","registryName":"{{{sandbox.Settings.Registry}}}"}}'
                  curl -s "{{{api}}}/instances/<id>?code={{{keys.SystemKey}}}"

                Push a new tag into the sandbox registry (the emulator emits ImagePushed):
                  curl -s --cacert {{{sandbox.CertificatePath}}} -X POST "{{{sandbox.BaseUri}}}_emulator/registries/{{{sandbox.Settings.Registry}}}/images" \
                    -H 'Content-Type: application/json' -d '{"repository":"hello/web","tag":"1.1"}'

                Try the engine on its own (sample orchestrations, registered only in the sandbox):
                  curl -s -X POST "{{{api}}}/orchestrators/HelloSequence?code={{{keys.SystemKey}}}" -H 'Content-Type: application/json' -d '{"cities":["Oslo","Lima"]}'
                  curl -s "{{{api}}}/instances?code={{{keys.SystemKey}}}"

                """);
        }
    }

    private static async Task AddArmAsync(WebApplicationBuilder builder, ProvisioningSettings settings, ProvisioningMode mode, string dataDirectory, CancellationToken cancellationToken)
    {
        if (mode == ProvisioningMode.Sandbox)
        {
            var sandbox = await SandboxEnvironment.StartAsync(settings.Sandbox, dataDirectory, cancellationToken);
            builder.Services.AddSingleton(sandbox);
            builder.Services.AddHostedService<SandboxShutdown>();
            if (settings.Sandbox.SubscribeEvents)
            {
                builder.Services.AddHostedService<SandboxEventSubscription>();
            }
            builder.Services.AddSingleton(new ArmTarget(sandbox.SubscriptionId, IsSandbox: true));
            builder.Services.AddSingleton(provider => ProvisioningArmClient.ForSandbox(
                sandbox.Endpoint, new ArmClientOptions { SecretResolver = provider.GetRequiredService<SecretProtector>() }, provider.GetService<ILoggerFactory>()));
            return;
        }

        builder.Services.AddSingleton(new ArmTarget(settings.Azure.SubscriptionId!, IsSandbox: false));
        builder.Services.AddSingleton(provider =>
        {
            var options = new ArmClientOptions { SecretResolver = provider.GetRequiredService<SecretProtector>() };
            if (settings.Azure.ResourceManagerEndpoint is { } endpoint)
            {
                options.Endpoint = endpoint;
            }

            return ProvisioningArmClient.ForAzure(options, provider.GetService<ILoggerFactory>());
        });
    }

    private static async Task<TemplateCatalog> LoadTemplatesAsync(string folder, CancellationToken cancellationToken)
        => Directory.Exists(folder) ? await TemplateCatalog.LoadFolderAsync(folder, cancellationToken) : TemplateCatalog.From([]);

    // The sample orchestrations: one list for what the worker registers and what the start API accepts.
    private static readonly Type[] SampleOrchestrators = [typeof(HelloSequence), typeof(ApprovalWorkflow)];

    private static IEnumerable<Type> Orchestrators(bool samples)
        => samples ? [.. ProvisioningRegistration.Orchestrators, .. SampleOrchestrators] : ProvisioningRegistration.Orchestrators;

    private static void RegisterOrchestrations(DurableTaskRegistry registry, bool samples)
    {
        registry.AddProvisioning().AddDrift();
        if (samples)
        {
            foreach (var sample in SampleOrchestrators)
            {
                registry.AddOrchestrator(sample);
            }

            registry.AddActivity<SayHello>();
        }
    }
}
