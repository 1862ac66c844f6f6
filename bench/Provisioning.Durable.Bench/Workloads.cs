using System.Diagnostics;
using Provisioning.Durable;
using Provisioning.Durable.Client;
using Provisioning.Durable.Embedded;

namespace Provisioning.Durable.Bench;

/// <summary>The measured workloads, each against a fresh engine.</summary>
public static class Workloads
{
    public static void Register(OrchestrationRegistry registry) => registry
        .AddActivityFunc<int, int>("Noop", (_, value) => Task.FromResult(value + 1))
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
    public static async Task<double> HelloSequence5Async(EmbeddedEngineHost host, FinishedInstanceCounter counter, int instances)
    {
        var finished = counter.Expect(instances);
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, instances).Select(i => host.Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence5", i)));
        await finished.WaitAsync(TimeSpan.FromMinutes(10));
        return instances / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>One orchestration that runs <paramref name="activities"/> activities one after the other, or all at once.</summary>
    public static async Task<double> SingleInstanceAsync(EmbeddedEngineHost host, string orchestration, int activities)
    {
        var stopwatch = Stopwatch.StartNew();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(orchestration, activities);
        var done = await host.Client.WaitForInstanceCompletionAsync(id);
        stopwatch.Stop();
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"{orchestration} ended {done.RuntimeStatus}: {done.FailureDetails}");
        }

        return activities / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>Start→complete latency of one-activity orchestrations run one at a time (light load); milliseconds.</summary>
    public static async Task<double[]> LatencyAsync(EmbeddedEngineHost host, int samples)
    {
        var latencies = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("OneActivity", i);
            await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false);
            latencies[i] = stopwatch.Elapsed.TotalMilliseconds;
        }

        Array.Sort(latencies);
        return latencies;
    }

    public static double Percentile(double[] sorted, double percentile)
        => sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
