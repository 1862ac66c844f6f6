using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Provisioning.Durable.Bench;

/// <summary>The measured workloads, each against a fresh backend.</summary>
public static class Workloads
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static void Register(DurableTaskRegistry registry) => registry
        .AddActivityFunc<int, int>("Noop", (_, value) => value + 1)
        .AddOrchestratorFunc<int, int>("HelloSequence5", async (context, value) =>
        {
            for (var i = 0; i < 5; i++)
            {
                value = await context.CallActivityAsync<int>("Noop", value);
            }

            return value;
        })
        .AddOrchestratorFunc<int, int>("Sequential", async (context, count) =>
        {
            var value = 0;
            for (var i = 0; i < count; i++)
            {
                value = await context.CallActivityAsync<int>("Noop", value);
            }

            return value;
        })
        .AddOrchestratorFunc<int, long>("FanOut", async (context, count) =>
        {
            var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i => context.CallActivityAsync<int>("Noop", i)));
            return results.Sum(r => (long)r);
        })
        .AddOrchestratorFunc<int, int>("OneActivity", (context, value) => context.CallActivityAsync<int>("Noop", value));

    /// <summary>Many HelloSequence5 instances at once; returns orchestrations per second.</summary>
    public static async Task<double> HelloSequence5Async(BenchHost host, int instances)
    {
        var finished = host.ExpectFinished(instances);
        var stopwatch = Stopwatch.StartNew();
        var ids = await Task.WhenAll(Enumerable.Range(0, instances).Select(i => host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence5", i)));
        await finished(ids).WaitAsync(Timeout);
        return instances / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>One orchestration that runs <paramref name="activities"/> activities one after the other, or all at once.</summary>
    public static async Task<double> SingleInstanceAsync(BenchHost host, string orchestration, int activities)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var stopwatch = Stopwatch.StartNew();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(orchestration, activities, timeout.Token);
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, timeout.Token);
        stopwatch.Stop();
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"{orchestration} ended {done.RuntimeStatus}: {done.FailureDetails}");
        }

        return activities / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Start→complete latency of one-activity orchestrations run one at a time (light load); milliseconds.</summary>
    public static async Task<double[]> LatencyAsync(BenchHost host, int samples)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var latencies = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("OneActivity", i, timeout.Token);
            var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, timeout.Token);
            latencies[i] = stopwatch.Elapsed.TotalMilliseconds;
            if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                throw new InvalidOperationException($"OneActivity ended {done.RuntimeStatus}: {done.FailureDetails}");
            }
        }

        Array.Sort(latencies);
        return latencies;
    }

    public static double Percentile(double[] sorted, double percentile)
        => sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
