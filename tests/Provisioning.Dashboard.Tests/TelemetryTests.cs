using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Provisioning.Host.Sandbox;

namespace Provisioning.Dashboard.Tests;

/// <summary>The host's traces and metrics, through an in-memory exporter, for a run the sandbox's Event Grid delivery starts.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_run_started_by_an_Event_Grid_delivery_leads_from_the_delivery_to_each_ARM_call_and_counts_in_the_metrics()
    {
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        await using var host = await LoopbackHost.StartAsync(
            [
                "--Provisioning:Telemetry:Enabled", "true",
                "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:01",
                "--Provisioning:Timings:ReadinessFirstInterval", "00:00:00.5",
                "--Provisioning:Timings:OperationPollInterval", "00:00:00.2",
            ],
            builder => builder.Services.AddOpenTelemetry()
                .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
                .WithMetrics(meter => meter.AddInMemoryExporter(metrics)));
        var sandbox = host.Services.GetRequiredService<SandboxEnvironment>();
        await WaitUntilAsync(() => Task.FromResult(sandbox.Emulator.EventSubscriptions.Get("provisioning-host")?.ProvisioningState == "Succeeded"));

        // The emulator raises ImagePushed and delivers it to the host's webhook; rules.yaml starts the web template.
        sandbox.Emulator.PushImage(sandbox.Settings.Registry, "hello/web", "3.0");
        string? runId = null;
        await WaitUntilAsync(async () =>
        {
            var runs = await host.Http.GetFromJsonAsync<JsonArray>($"/runtime/webhooks/durabletask/instances?code={LoopbackHost.SystemKey}&top=100&showInput=false");
            runId = runs!.Where(run => ((string)run!["instanceId"]!).Contains(":rg-sandbox:web:", StringComparison.Ordinal) && (string?)run["runtimeStatus"] == "Completed")
                .Select(run => (string?)run!["instanceId"]).FirstOrDefault();
            return runId is not null;
        });
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();

        Activity[] all;
        lock (spans)
        {
            all = [.. spans];
        }

        var byId = all.GroupBy(span => span.SpanId).ToDictionary(group => group.Key, group => group.First());
        bool Descends(Activity span, Activity ancestor)
        {
            for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
            {
                if (current.SpanId == ancestor.SpanId)
                {
                    return true;
                }
            }

            return false;
        }

        // The run's creation is inside the delivery's trace, under the delivery span.
        var creation = Assert.Single(all, span => span.OperationName.StartsWith("create_orchestration ", StringComparison.Ordinal) && (string?)span.GetTagItem("durable.instance_id") == runId);
        var delivery = Assert.Single(all, span => span.Source.Name == "Provisioning" && span.OperationName == "eventgrid.delivery" && Descends(creation, span));
        Assert.Equal(delivery.TraceId, creation.TraceId);

        // One trace: every span the engine made for the run descends from its creation, so from the delivery.
        var engineSpans = all.Where(span => span.Source.Name == "Provisioning.Durable.Embedded" && span != creation && (string?)span.GetTagItem("durable.instance_id") == runId).ToList();
        Assert.Contains(engineSpans, span => span.OperationName == "activity EnsureIdentity");
        Assert.All(engineSpans, span => Assert.True(span.TraceId == delivery.TraceId && Descends(span, creation), $"{span.OperationName} is not under the run's creation"));

        // Each ARM call is a client span under one of the run's activity spans.
        var activities = engineSpans.Where(span => span.OperationName.StartsWith("activity ", StringComparison.Ordinal)).ToList();
        var armCalls = all.Where(span => span.Source.Name == "System.Net.Http"
            && span.GetTagItem("url.full") is string url && url.StartsWith(sandbox.BaseUri.ToString().TrimEnd('/'), StringComparison.Ordinal)
            && activities.Any(activity => Descends(span, activity))).ToList();
        Assert.Contains(armCalls, call => (string?)call.GetTagItem("http.request.method") == "PUT" && ((string)call.GetTagItem("url.full")!).Contains("/userAssignedIdentities/", StringComparison.Ordinal));
        Assert.Contains(armCalls, call => (string?)call.GetTagItem("http.request.method") == "PUT" && ((string)call.GetTagItem("url.full")!).Contains("/roleAssignments/", StringComparison.Ordinal));
        Assert.Contains(armCalls, call => (string?)call.GetTagItem("http.request.method") == "PUT" && ((string)call.GetTagItem("url.full")!).Contains("/containerGroups/web", StringComparison.Ordinal));

        // The metrics count the run (recorded once the run has ended), its waits and its ARM calls.
        var meters = host.Services.GetRequiredService<MeterProvider>();
        await WaitUntilAsync(() =>
        {
            meters.ForceFlush();
            return Task.FromResult(Sum(metrics, "provisioning.runs.completed") >= 1);
        });
        Assert.True(Sum(metrics, "provisioning.runs.started") >= 1);
        Assert.Equal(0, Sum(metrics, "provisioning.runs.failed"));
        Assert.True(Sum(metrics, "provisioning.arm.calls") >= armCalls.Count);
        Assert.True(Count(metrics, "provisioning.waits") >= 1, "the grant's propagation made the run wait at least once");
    }

    private static long Sum(List<Metric> metrics, string name)
    {
        lock (metrics)
        {
            // Cumulative sums: the newest export of each point holds the total.
            var latest = metrics.LastOrDefault(metric => metric.Name == name);
            long total = 0;
            if (latest is not null)
            {
                foreach (ref readonly var point in latest.GetMetricPoints())
                {
                    total += point.GetSumLong();
                }
            }

            return total;
        }
    }

    private static long Count(List<Metric> metrics, string name)
    {
        lock (metrics)
        {
            var latest = metrics.LastOrDefault(metric => metric.Name == name);
            long total = 0;
            if (latest is not null)
            {
                foreach (ref readonly var point in latest.GetMetricPoints())
                {
                    total += point.GetHistogramCount();
                }
            }

            return total;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            await Task.Delay(100, timeout.Token);
        }
    }
}
