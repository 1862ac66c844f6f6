extern alias AzureIdentity;
using Azure.Core;
using Azure.Monitor.OpenTelemetry.Exporter;
using AzureIdentity::Azure.Identity;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Provisioning.Telemetry;

namespace Provisioning.Functions.Configuration;

/// <summary>
/// The Functions app's traces, metrics and logs through OpenTelemetry: to Application Insights with the Azure Monitor
/// exporter when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
/// set (both when both are). The worker's own package (<c>UseFunctionsWorkerDefaults</c>) adds the worker's invocation
/// spans and the Functions resource (site, region, slot) and tells the Functions host that the worker exports its own
/// telemetry; host.json's <c>"telemetryMode": "OpenTelemetry"</c> makes the host do the same for its part.
/// </summary>
public static class FunctionsTelemetry
{
    /// <summary>The app setting Application Insights is found by (Azure sets it when the app is linked to a resource).</summary>
    public const string ConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>
    /// The app setting that asks for Microsoft Entra authentication: <c>Authorization=AAD</c>, with <c>ClientId=&lt;id&gt;</c>
    /// for a user-assigned identity (the app's, in infra/), as the Functions host reads it too.
    /// </summary>
    public const string AuthenticationStringKey = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The standard OTLP endpoint variable; the other <c>OTEL_EXPORTER_OTLP_*</c> ones (protocol, headers) apply too.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The OpenTelemetry sampler setting; when set, the Azure Monitor exporter's own reading of it applies instead of sampling every trace.</summary>
    public const string SamplerKey = "OTEL_TRACES_SAMPLER";

    /// <summary>
    /// The spans collected, the same names as the self-hosted host: the product's (<see cref="ProvisioningTelemetry.Name"/>),
    /// the HTTP client's (each ARM call the activities make) and the Durable Task worker's (orchestrations and activities).
    /// </summary>
    public static IReadOnlyList<string> Sources { get; } = [ProvisioningTelemetry.Name, "System.Net.Http", "Microsoft.DurableTask"];

    /// <summary>The meters collected: the product's (its ARM calls, durations and throttles, see <see cref="ArmCallMetricsListener"/>), and the HTTP client's.</summary>
    public static IReadOnlyList<string> Meters { get; } = [ProvisioningTelemetry.Name, "System.Net.Http"];

    /// <summary>
    /// Registers OpenTelemetry for the worker when an exporter is configured; without one it registers nothing, so the
    /// app starts as before and the Functions host keeps the telemetry it collects for the worker.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration (app settings and environment).</param>
    /// <returns>Whether an exporter was configured.</returns>
    public static bool AddProvisioningFunctionsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = NonEmpty(configuration[ConnectionStringKey]);
        var otlp = NonEmpty(configuration[OtlpEndpointKey]) is not null;
        if (connectionString is null && !otlp)
        {
            return false;
        }

        services.AddHostedService<ArmCallMetricsListener>();

        // The worker's defaults first: its capability tells the host not to send the worker's telemetry a second time.
        var builder = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing.AddSource([.. Sources]))
            .WithMetrics(metrics => metrics.AddMeter([.. Meters]));
        if (connectionString is not null)
        {
            // Traces as requests and dependencies, metrics as custom metrics, logs as traces: the exporter covers all three.
            var credential = CredentialFor(configuration[AuthenticationStringKey]);
            var samplerChosen = !string.IsNullOrWhiteSpace(configuration[SamplerKey]);
            builder.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = connectionString;
                options.Credential = credential;
                if (!samplerChosen)
                {
                    // Every trace, unless OTEL_TRACES_SAMPLER says otherwise: the exporter's default keeps 5 traces a
                    // second, and a run whose trace was dropped cannot be followed from its trigger to its ARM calls.
                    // Runs are few and long; their traces are cheap.
                    options.SamplingRatio = 1.0f;
                    options.TracesPerSecond = null;
                }
            });
        }

        if (otlp)
        {
            // Reads OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL, _HEADERS) from the app's configuration.
            builder.UseOtlpExporter();
        }

        return true;
    }

    /// <summary>
    /// The credential <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> asks for: the managed identity (user-assigned when
    /// it names a <c>ClientId</c>) when it says <c>Authorization=AAD</c>; null otherwise, and the exporter then sends with
    /// the connection string's key, which a resource with local authentication disabled refuses.
    /// </summary>
    /// <param name="authenticationString">The setting's value, <c>key=value</c> pairs separated by semicolons.</param>
    public static TokenCredential? CredentialFor(string? authenticationString)
    {
        var pairs = (authenticationString ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!pairs.TryGetValue("Authorization", out var authorization) || !authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new ManagedIdentityCredential(pairs.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? ManagedIdentityId.FromUserAssignedClientId(clientId)
            : ManagedIdentityId.SystemAssigned);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
