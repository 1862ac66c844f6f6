using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Provisioning.Durable.Embedded.Diagnostics;
using Provisioning.Host.Configuration;
using Provisioning.Host.Sandbox;
using Provisioning.Host.Telemetry;
using Provisioning.Telemetry;

// In the namespace of WebApplicationBuilder, so the host registers telemetry without another using.
#pragma warning disable IDE0130 // Namespace does not match folder structure
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>OpenTelemetry for the self-hosted app (see <see cref="TelemetrySettings"/>).</summary>
public static class TelemetryRegistration
{
    /// <summary>The service name traces and metrics carry.</summary>
    public const string ServiceName = "provisioning-host";

    /// <summary>
    /// Collects the product's spans (<see cref="ProvisioningTelemetry"/>), the engine's, ASP.NET Core's and the HTTP
    /// client's (each ARM call), and the product's metrics; exports them over OTLP when an endpoint is configured and to
    /// the console when asked. Does nothing when neither is configured and <c>Provisioning:Telemetry:Enabled</c> is not set.
    /// </summary>
    /// <param name="builder">The app's builder, after ARM is registered.</param>
    public static WebApplicationBuilder AddProvisioningTelemetry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = builder.Configuration.GetSection(TelemetrySettings.SectionName).Get<TelemetrySettings>() ?? new TelemetrySettings();
        var environmentEndpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (!settings.IsEnabled(environmentEndpoint))
        {
            return builder;
        }

        var otlp = settings.OtlpEndpoint is not null || !string.IsNullOrWhiteSpace(environmentEndpoint);
        builder.Services.AddSingleton<IStartupFilter, RequestSpans>();
        var azure = builder.Configuration.GetSection(ProvisioningSettings.SectionName).Get<ProvisioningSettings>()?.Azure.ResourceManagerEndpoint;
        builder.Services.AddSingleton(provider => new ArmEndpoint(provider.GetService<SandboxEnvironment>()?.BaseUri ?? azure ?? new Uri("https://management.azure.com/")));
        builder.Services.AddHostedService<RunMetricsObserver>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                // The engine stores each run's trace context, so its episodes, activities and their ARM calls are in the
                // trace of the request or delivery that started the run.
                tracing.AddSource(ProvisioningTelemetry.Name, EngineTelemetry.SourceName, "System.Net.Http", "Microsoft.AspNetCore");
                if (otlp)
                {
                    tracing.AddOtlpExporter(options => Configure(options, settings, "v1/traces"));
                }

                if (settings.Console)
                {
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ProvisioningTelemetry.Name);
                if (otlp)
                {
                    metrics.AddOtlpExporter(options => Configure(options, settings, "v1/metrics"));
                }

                if (settings.Console)
                {
                    metrics.AddConsoleExporter();
                }
            });
        return builder;
    }

    // The setting wins over OTEL_EXPORTER_OTLP_ENDPOINT, which the exporter reads by itself when the setting is absent.
    // An endpoint set in code is used as it is, so over HTTP the signal's path is added here.
    private static void Configure(OpenTelemetry.Exporter.OtlpExporterOptions options, TelemetrySettings settings, string signalPath)
    {
        if (settings.OtlpEndpoint is not { } endpoint)
        {
            return;
        }

        options.Protocol = settings.OtlpProtocol;
        options.Endpoint = settings.OtlpProtocol == OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf
            ? new Uri(new Uri(endpoint.ToString().TrimEnd('/') + "/"), signalPath)
            : endpoint;
    }
}
