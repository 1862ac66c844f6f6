using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Provisioning.Arm.Pipeline;
using Provisioning.Telemetry;

namespace Provisioning.Functions.Configuration;

/// <summary>
/// Records the product's ARM metrics (<c>provisioning.arm.calls</c>, <c>.duration</c>, <c>.throttles</c>) in the
/// Functions app, as the self-hosted host does: from the HTTP client's spans of the activities' calls to the app's ARM
/// endpoint. Registered with telemetry only (<see cref="FunctionsTelemetry"/>).
/// </summary>
/// <param name="settings">The app's settings: its ARM endpoint, public Azure by default.</param>
internal sealed class ArmCallMetricsListener(FunctionsAppSettings settings) : IHostedService, IDisposable
{
    private readonly Uri _arm = settings.ResourceManagerEndpoint ?? new ArmClientOptions().Endpoint;
    private ActivityListener? _listener;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArmCallMetrics.HttpClientSource,
            // The HTTP client sets its tags (url, method, status) only on spans whose data someone asked for.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => ArmCallMetrics.Record(activity, _arm),
        };
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _listener?.Dispose();
        _listener = null;
    }
}
