using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Moq;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Functions.Configuration;
using Provisioning.Functions.Http;

namespace Provisioning.Functions.Tests;

/// <summary>
/// The Functions app's telemetry (<see cref="FunctionsTelemetry"/>), registered by the app's own service registration:
/// with a connection string its runs' activities and their ARM calls reach Application Insights' ingestion endpoint
/// (here on loopback) through the Azure Monitor exporter; without an exporter nothing is registered.
/// </summary>
public sealed class FunctionsTelemetryTests
{
    private const string StartBody = """{"resourceGroup":"rg-sandbox","parameters":{"image":"sandboxacr.azurecr.io/hello/web:1.0","registryName":"sandboxacr"}}""";

    [Fact]
    public async Task With_a_connection_string_a_runs_activities_and_their_ARM_calls_reach_Application_Insights()
    {
        await using var ingestion = await AzureMonitorIngestion.StartAsync();
        await using var arm = await ArmSandbox.StartAsync(new FaultSettings
        {
            PrincipalReplicationDelay = TimeSpan.FromMilliseconds(300),
            GrantPropagationDelay = TimeSpan.FromMilliseconds(300),
            ProvisioningDuration = TimeSpan.FromMilliseconds(100),
        });
        await using var services = await FunctionsServices.BuildAsync(
            arm,
            (FunctionsTelemetry.ConnectionStringKey, ingestion.ConnectionString),
            ("Provisioning:Azure:ResourceManagerEndpoint", arm.Emulator.BaseUri.ToString()));

        // The worker tells the Functions host it exports its own telemetry, so the host does not send it again.
        Assert.Equal(bool.TrueString, services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities["WorkerOpenTelemetryEnabled"]);
        // As the worker's host does at start: the exporter attaches its span processor from a hosted service.
        var hosted = services.GetServices<IHostedService>().ToList();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var tracing = services.GetService<TracerProvider>();
        var metrics = services.GetService<MeterProvider>();
        Assert.NotNull(tracing);
        Assert.NotNull(metrics);

        var logged = arm.Emulator.GetRequestLog().Count;
        DurableTaskTestHost? host = null;
        await using var started = host = await DurableTaskTestHost.StartAsync(
            registry => registry.AddAppFunctions(() => host!.Client),
            new DurableTaskTestHostOptions { ConfigureServices = worker => worker.AddSingleton(arm.ArmClient).AddSingleton(TimeProvider.System) });
        var exchange = HttpExchange.Create("POST", "/api/provisioning/web?code=key", StartBody);
        var functions = ActivatorUtilities.CreateInstance<ProvisioningHttpFunctions>(services);

        // Under an invocation's span, as the worker starts one for each trigger. Every trace is recorded: the exporter's
        // default (5 traces a second) dropped whole runs while the sidecar's calls filled the budget.
        System.Diagnostics.Activity.Current = null;
        using (var invocation = Provisioning.Telemetry.ProvisioningTelemetry.Source.StartActivity("invocation StartProvisioning", System.Diagnostics.ActivityKind.Server))
        {
            Assert.NotNull(invocation);
            Assert.True(invocation.Recorded);
            await exchange.AnswerAsync(await functions.StartProvisioning(exchange.Request, host.Client, new Mock<FunctionContext>().Object, "web", null, CancellationToken.None));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var done = await host.Client.WaitForInstanceCompletionAsync((string)exchange.Json["id"]!, getInputsAndOutputs: false, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);

        Assert.True(tracing.ForceFlush(30_000), "the trace exporter flushed");
        Assert.True(metrics.ForceFlush(30_000), "the metric exporter flushed");
        foreach (var service in hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        var items = ingestion.Items;
        Assert.All(items, item => Assert.Equal(ingestion.InstrumentationKey, (string?)item["iKey"]));
        // Each ARM call is a dependency (the HTTP client's span), to the emulator, e.g. the identity's PUT.
        var emulator = arm.Emulator.BaseUri.Authority;
        var armCalls = items.Where(item => (string?)item["data"]?["baseType"] == "RemoteDependencyData"
            && ((string?)item["data"]!["baseData"]!["data"])?.Contains(emulator, StringComparison.OrdinalIgnoreCase) == true).ToList();
        var identityPut = Assert.Single(armCalls, item => (string?)item["data"]!["baseData"]!["name"] is { } name
            && name.StartsWith("PUT", StringComparison.Ordinal) && ((string)item["data"]!["baseData"]!["data"]!).Contains("/userAssignedIdentities/web-puller", StringComparison.OrdinalIgnoreCase));
        // The Durable Task worker's spans are requests: the orchestration, and each activity's execution, in the same
        // trace as the ARM calls the activity made (an activity may run more than once: at least once, with retries).
        var executions = items.Where(item => (string?)item["data"]?["baseType"] == "RequestData" && Name(item) == "activity:EnsureIdentity").ToList();
        Assert.Contains(executions, execution => (string?)execution["tags"]!["ai.operation.id"] == (string?)identityPut["tags"]!["ai.operation.id"]);
        Assert.Contains(items, item => (string?)item["data"]?["baseType"] == "RequestData" && Name(item) == "orchestration:ProvisionWorkload");
        // And the metrics: the product's ARM calls (counted from the HTTP client's spans, as on the self-hosted host),
        // one per request the emulator served, and the HTTP client's durations.
        var counted = items.Where(item => (string?)item["data"]?["baseType"] == "MetricData")
            .SelectMany(item => item["data"]!["baseData"]!["metrics"]!.AsArray())
            .Where(metric => (string?)metric!["name"] == "provisioning.arm.calls")
            .Sum(metric => (double)metric!["value"]!);
        Assert.Equal(arm.Emulator.GetRequestLog().Skip(logged).Count(request => !request.Path.StartsWith("/_emulator", StringComparison.Ordinal)), counted);
        Assert.Contains(items, item => (string?)item["data"]?["baseType"] == "MetricData"
            && item["data"]!["baseData"]!["metrics"]!.AsArray().Any(metric => (string?)metric!["name"] == "http.client.request.duration"));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("microsoft.rate_limited", false)]
    public async Task Every_trace_is_sent_unless_a_sampler_is_configured(string? sampler, bool everyTrace)
    {
        await using var arm = await ArmSandbox.StartAsync();
        await using var services = await FunctionsServices.BuildAsync(
            arm,
            (FunctionsTelemetry.ConnectionStringKey, "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:1/"),
            (FunctionsTelemetry.SamplerKey, sampler ?? string.Empty));

        var options = services.GetRequiredService<IOptionsMonitor<Azure.Monitor.OpenTelemetry.Exporter.AzureMonitorExporterOptions>>().CurrentValue;

        Assert.Equal(everyTrace, options.TracesPerSecond is null && options.SamplingRatio == 1.0f);
    }

    [Fact]
    public async Task Without_an_exporter_the_app_registers_no_telemetry_and_leaves_it_to_the_host()
    {
        await using var arm = await ArmSandbox.StartAsync();
        await using var services = await FunctionsServices.BuildAsync(arm);

        Assert.Null(services.GetService<TracerProvider>());
        Assert.Null(services.GetService<MeterProvider>());
        Assert.False(services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities.ContainsKey("WorkerOpenTelemetryEnabled"));
        // The app's services still build and resolve: the ARM client is there.
        Assert.NotNull(services.GetRequiredService<Provisioning.Arm.ProvisioningArmClient>());
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_only_the_app_collects_the_same_sources_for_OTLP()
    {
        await using var arm = await ArmSandbox.StartAsync();
        await using var services = await FunctionsServices.BuildAsync(arm, (FunctionsTelemetry.OtlpEndpointKey, "http://127.0.0.1:4317"));

        Assert.NotNull(services.GetService<TracerProvider>());
        Assert.NotNull(services.GetService<MeterProvider>());
        Assert.Equal(bool.TrueString, services.GetRequiredService<IOptions<WorkerOptions>>().Value.Capabilities["WorkerOpenTelemetryEnabled"]);
        Assert.Contains("Provisioning", FunctionsTelemetry.Sources);
        Assert.Contains("System.Net.Http", FunctionsTelemetry.Sources);
    }

    [Theory]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD", true)]
    [InlineData("Authorization=AAD", true)]
    [InlineData(" authorization = aad ", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("ClientId=11111111-2222-3333-4444-555555555555", false)]
    public void The_authentication_string_asks_for_the_managed_identity_only_with_Authorization_AAD(string? value, bool managedIdentity)
    {
        var credential = FunctionsTelemetry.CredentialFor(value);

        Assert.Equal(managedIdentity, credential is not null);
        if (credential is not null)
        {
            // Azure.Identity's own (the Azure.Core the exporter brings has a type of the same name).
            Assert.Equal("Azure.Identity.ManagedIdentityCredential", credential.GetType().FullName);
            Assert.Equal("Azure.Identity", credential.GetType().Assembly.GetName().Name);
        }
    }

    private static string? Name(JsonObject item) => (string?)item["data"]?["baseData"]?["name"];
}
