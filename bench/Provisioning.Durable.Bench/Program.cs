// Embedded engine benchmark. Usage: dotnet run -c Release --project bench/Provisioning.Durable.Bench [-- --quick]
// Prints a table, then the figures as one JSON object on the last line.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Provisioning.Durable.Bench;
using Provisioning.Durable.Embedded;
using Provisioning.Durable.Embedded.Storage;

var quick = args.Contains("--quick");
var durability = args.Contains("--normal") ? StoreDurability.Normal : StoreDurability.Full;
var helloInstances = quick ? 500 : 3000;
var sequentialActivities = 1000;
var fanOutActivities = quick ? 2000 : 10_000;
var latencySamples = quick ? 100 : 300;

var folder = Path.Combine(Directory.GetCurrentDirectory(), ".data", $"bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
var results = new Dictionary<string, Dictionary<string, double>>();
try
{
    foreach (var (mode, inMemory) in new[] { ("durable", false), ("inMemory", true) })
    {
        var figures = new Dictionary<string, double>();
        var counter = new FinishedInstanceCounter();
        using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(counter));

        async Task<T> Fresh<T>(string name, Func<EmbeddedEngineHost, Task<T>> run)
        {
            var path = inMemory ? null : Path.Combine(folder, $"{mode}-{name}.db");
            await using var host = await EmbeddedEngineHost.StartAsync(
                Workloads.Register,
                path,
                loggerFactory: loggerFactory,
                configureOptions: options =>
                {
                    options.Durability = durability;
                    options.MaxConcurrentOrchestrations = 256;
                    options.MaxConcurrentActivities = 256;
                });

            // Warm up the JIT and the store so the first measured instance does not pay for them.
            await Workloads.LatencyAsync(host, 20);
            var commitsBefore = host.Engine.StoreCommitCount;
            var operationsBefore = host.Engine.StoreOperationCount;
            var result = await run(host);
            var commits = host.Engine.StoreCommitCount - commitsBefore;
            figures[$"{name}StoreOpsPerCommit"] = commits == 0 ? 0 : (double)(host.Engine.StoreOperationCount - operationsBefore) / commits;
            return result;
        }

        figures["helloSequence5OrchestrationsPerSec"] = await Fresh("hello", host => Workloads.HelloSequence5Async(host, counter, helloInstances));
        figures["sequential1000ActivitiesPerSec"] = await Fresh("sequential", host => Workloads.SingleInstanceAsync(host, "Sequential", sequentialActivities));
        figures["fanOut10000ActivitiesPerSec"] = await Fresh("fanout", host => Workloads.SingleInstanceAsync(host, "FanOut", fanOutActivities));
        var latencies = await Fresh("latency", host => Workloads.LatencyAsync(host, latencySamples));
        figures["latencyP50Ms"] = Workloads.Percentile(latencies, 50);
        figures["latencyP99Ms"] = Workloads.Percentile(latencies, 99);
        results[mode] = figures;
    }

    var commitsFull = SqliteCommitProbe.Measure(folder, "FULL", TimeSpan.FromSeconds(2));
    var commitsNormal = SqliteCommitProbe.Measure(folder, "NORMAL", TimeSpan.FromSeconds(2));
    var peakRssMb = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);

    var durable = results["durable"];
    var memory = results["inMemory"];
    string[] throughputKeys = ["helloSequence5OrchestrationsPerSec", "sequential1000ActivitiesPerSec", "fanOut10000ActivitiesPerSec"];
    var goals = new Dictionary<string, string>
    {
        ["helloSequence5OrchestrationsPerSec"] = ">= 1500",
        ["sequential1000ActivitiesPerSec"] = ">= 3000",
        ["fanOut10000ActivitiesPerSec"] = ">= 10000",
        ["latencyP50Ms"] = "<= 5",
        ["latencyP99Ms"] = "-",
    };

    Console.WriteLine($"Embedded durable engine benchmark — {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}{(quick ? " (quick)" : "")}");
    Console.WriteLine($"Sizes: {helloInstances} HelloSequence5, {sequentialActivities} sequential, {fanOutActivities} fan-out, {latencySamples} latency samples");
    Console.WriteLine();
    Console.WriteLine($"{"figure",-38} {$"durable ({durability})",16} {"in-memory",12} {"ratio",7} {"goal",10}");
    foreach (var key in goals.Keys)
    {
        var ratio = throughputKeys.Contains(key) ? durable[key] / memory[key] : memory[key] / durable[key];
        Console.WriteLine($"{key,-38} {durable[key],16:F1} {memory[key],12:F1} {ratio,7:F2} {goals[key],10}");
    }

    foreach (var key in durable.Keys.Where(k => k.EndsWith("StoreOpsPerCommit", StringComparison.Ordinal)))
    {
        Console.WriteLine($"{key,-38} {durable[key],16:F1} {memory[key],12:F1}");
    }

    Console.WriteLine($"{"sqliteCommitsPerSec (1 row/txn)",-38} FULL {commitsFull,11:F0} NORMAL {commitsNormal:F0}");
    Console.WriteLine($"{"peakRssMb",-38} {peakRssMb,16:F0}");
    Console.WriteLine();

    var json = new Dictionary<string, object>
    {
        ["machine"] = new { cores = Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString(), quick, durability = durability.ToString() },
        ["durable"] = durable.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 2)),
        ["inMemory"] = memory.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 2)),
        ["ratioDurableToInMemory"] = throughputKeys.ToDictionary(k => k, k => Math.Round(durable[k] / memory[k], 3))
            .Concat(new[] { KeyValuePair.Create("latencyP50Ms", Math.Round(memory["latencyP50Ms"] / durable["latencyP50Ms"], 3)) })
            .ToDictionary(kv => kv.Key, kv => kv.Value),
        ["sqliteCommitsPerSecFull"] = Math.Round(commitsFull),
        ["sqliteCommitsPerSecNormal"] = Math.Round(commitsNormal),
        ["peakRssMb"] = Math.Round(peakRssMb),
    };
    Console.WriteLine(JsonSerializer.Serialize(json));
}
finally
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
    }
}
