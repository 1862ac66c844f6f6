using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Provisioning.Dashboard.Tests;

/// <summary>The host's OTLP exporter, configured by settings alone, sends its spans and metrics to a collector (a loopback OTLP/HTTP receiver here).</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task With_an_OTLP_endpoint_configured_the_host_exports_its_spans_and_metrics_over_OTLP()
    {
        var received = new ConcurrentQueue<(string Path, string? ContentType, byte[] Body)>();
        var collector = WebApplication.CreateSlimBuilder();
        collector.WebHost.UseUrls("http://127.0.0.1:0");
        collector.Logging.ClearProviders();
        await using var receiver = collector.Build();
        receiver.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path, context.Request.ContentType, body.ToArray()));
            return Results.Ok();
        });
        await receiver.StartAsync();
        var endpoint = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var host = await LoopbackHost.StartAsync(
        [
            "--Provisioning:Telemetry:OtlpEndpoint", endpoint,
            "--Provisioning:Telemetry:OtlpProtocol", "HttpProtobuf",
        ]);
        await host.StartWebAsync("web-otlp");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(Has("/v1/traces", "provisioning.start") && Has("/v1/metrics", "provisioning.runs.started")))
        {
            host.Services.GetRequiredService<TracerProvider>().ForceFlush(1000);
            host.Services.GetRequiredService<MeterProvider>().ForceFlush(1000);
            await Task.Delay(200, timeout.Token);
        }

        Assert.All(received, request => Assert.Equal("application/x-protobuf", request.ContentType));
        Assert.True(Has("/v1/traces", "provisioning-host"), "the spans carry the service name");
        Assert.True(Has("/v1/traces", "create_orchestration "), "the run's creation is exported");

        // Protobuf writes strings as UTF-8 bytes: the names are found in the bodies as they are.
        bool Has(string path, string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return received.Any(request => request.Path == path && request.Body.AsSpan().IndexOf(bytes) >= 0);
        }
    }
}
