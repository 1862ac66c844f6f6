// Embedded engine benchmark, with the SDK's official in-process test host as a reference column.
// Usage: dotnet run -c Release --project bench/Provisioning.Durable.Bench [-- --quick] [--normal] [--no-official]
// Prints a table, then the figures as one JSON object on the last line.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Provisioning.Durable.Bench;
using Provisioning.Durable.Embedded.Storage;

var quick = args.Contains("--quick");
var withOfficial = !args.Contains("--no-official");
var durability = args.Contains("--normal") ? StoreDurability.Normal : StoreDurability.Full;
var sizes = new Sizes(
    HelloInstances: quick ? 500 : 3000,
    SequentialActivities: 1000,
    FanOutActivities: quick ? 2000 : 10_000,
    LatencySamples: quick ? 100 : 300);

// The official host is a test host: its sidecar runs Environment.ProcessorCount work items at a time per dispatcher
// and, when those slots are full, looks again only after 500 ms (WorkItemDispatcher.WaitForAllClear), so under a
// concurrent load it completes about 2 × cores work items per second per dispatcher. Its concurrent workloads are
// scaled down to finish in about a minute: 20 HelloSequence5 instances and a fan-out of 100 (8 and 40 with --quick).
// It is a reference, with no goals.
var officialSizes = sizes with { HelloInstances = quick ? 8 : 20, FanOutActivities = quick ? 40 : 100 };

var folder = Path.Combine(Directory.GetCurrentDirectory(), ".data", $"bench-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
try
{
    var counter = new FinishedInstanceCounter();
    using var loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(counter));
    // The disk's commit rate swings from run to run on shared machines, so the rate the sequential workload is held
    // against is measured right before and right after it, on the same disk, and averaged.
    var synchronous = durability == StoreDurability.Full ? "FULL" : "NORMAL";
    var durable = await MeasureAsync(
        name => EmbeddedBenchHost.StartAsync(Workloads.Register, Path.Combine(folder, $"durable-{name}.db"), durability, counter, loggerFactory),
        sizes,
        () => SqliteCommitProbe.Measure(folder, synchronous, TimeSpan.FromSeconds(1)));
    var memory = await MeasureAsync(
        _ => EmbeddedBenchHost.StartAsync(Workloads.Register, null, durability, counter, loggerFactory), sizes);

    // The embedded backend's peak, before the official host (ASP.NET Core, gRPC, its own worker) adds to the process.
    var peakRssMb = PeakRssMb();
    var commitsFull = SqliteCommitProbe.Measure(folder, "FULL", TimeSpan.FromSeconds(2));
    var commitsNormal = SqliteCommitProbe.Measure(folder, "NORMAL", TimeSpan.FromSeconds(2));
    var syncedCommits = durable["sequentialCommitProbePerSec"];

    var official = withOfficial ? await MeasureAsync(_ => OfficialTestHostBenchHost.StartAsync(Workloads.Register), officialSizes) : null;
    var peakRssMbWithOfficial = PeakRssMb();

    string[] throughputKeys = ["helloSequence5OrchestrationsPerSec", "sequential1000ActivitiesPerSec", "fanOut10000ActivitiesPerSec"];
    string[] figureKeys = [.. throughputKeys, "latencyP50Ms", "latencyP99Ms"];
    double Ratio(string key) => throughputKeys.Contains(key) ? durable[key] / memory[key] : memory[key] / durable[key];
    var sequentialToCommits = durable["sequential1000ActivitiesPerSec"] / syncedCommits;

    // The issue's goals, for the product's default: the durable column.
    var goals = new List<Goal>
    {
        new("helloSequence5OrchestrationsPerSec", ">= 2500", durable["helloSequence5OrchestrationsPerSec"], v => v >= 2500),
        new("sequential1000ActivitiesPerSec", ">= 3000", durable["sequential1000ActivitiesPerSec"], v => v >= 3000),
        new("fanOut10000ActivitiesPerSec", ">= 20000", durable["fanOut10000ActivitiesPerSec"], v => v >= 20_000),
        new("latencyP50Ms", "<= 2", durable["latencyP50Ms"], v => v <= 2),
        new("sequentialToSyncedCommitRatio", ">= 0.35", sequentialToCommits, v => v >= 0.35),
    };
    foreach (var key in figureKeys.Where(k => k != "latencyP99Ms"))
    {
        goals.Add(new($"ratio.{key}", ">= 0.4", Ratio(key), v => v >= 0.4));
    }

    string Verdict(string key) => goals.FirstOrDefault(g => g.Figure == key) is { } goal ? (goal.Met ? "pass" : "FAIL") : "-";
    string GoalText(string key) => goals.FirstOrDefault(g => g.Figure == key)?.Text ?? "-";

    Console.WriteLine($"Embedded durable engine benchmark — {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}{(quick ? " (quick: smaller than the goals' sizes)" : "")}");
    Console.WriteLine($"Sizes: {sizes.HelloInstances} HelloSequence5, {sizes.SequentialActivities} sequential, {sizes.FanOutActivities} fan-out, {sizes.LatencySamples} latency samples");
    Console.WriteLine(withOfficial
        ? $"Official in-process test host (Microsoft.DurableTask.InProcessTestHost, reference, no goals): the same, but a fan-out of {officialSizes.FanOutActivities}"
        : "Official in-process test host: skipped (--no-official)");
    Console.WriteLine("ratio = durable ÷ in-memory throughput; for latencies, in-memory ÷ durable latency. Goals apply to the durable column.");
    Console.WriteLine();
    Console.WriteLine($"{"figure",-38} {$"durable ({durability})",16} {"in-memory",12} {"ratio",7} {"official host",14} {"goal",10} {"result",7} {"ratio>=0.4",11}");
    foreach (var key in figureKeys)
    {
        var officialText = official is null ? "-" : official[key].ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine($"{key,-38} {durable[key],16:F1} {memory[key],12:F1} {Ratio(key),7:F2} {officialText,14} {GoalText(key),10} {Verdict(key),7} {Verdict($"ratio.{key}"),11}");
    }

    Console.WriteLine($"{$"sequential / {synchronous} commits beside it",-38} {sequentialToCommits,16:F2} {"",12} {"",7} {"",14} {GoalText("sequentialToSyncedCommitRatio"),10} {Verdict("sequentialToSyncedCommitRatio"),7}");
    Console.WriteLine($"{$"sqlite {synchronous} commits/s beside it",-38} {syncedCommits,16:F0}");
    foreach (var key in durable.Keys.Where(k => k.EndsWith("StoreOpsPerCommit", StringComparison.Ordinal) || k.EndsWith("CpuMs", StringComparison.Ordinal)))
    {
        Console.WriteLine($"{key,-38} {durable[key],16:F1} {memory[key],12:F1}");
    }

    Console.WriteLine($"{"sqliteCommitsPerSec (1 row/txn, end)",-38} FULL {commitsFull,11:F0} NORMAL {commitsNormal:F0}");
    Console.WriteLine($"{"peakRssMb",-38} {peakRssMb,16:F0}   (embedded runs only{(withOfficial ? $"; {peakRssMbWithOfficial:F0} after the official host" : "")})");
    var failed = goals.Where(g => !g.Met).Select(g => g.Figure).ToList();
    Console.WriteLine($"Goals met: {goals.Count - failed.Count} of {goals.Count}{(failed.Count == 0 ? "" : $"; missed: {string.Join(", ", failed)}")}");
    Console.WriteLine();

    var json = new Dictionary<string, object?>
    {
        ["machine"] = new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString(), quick, durability = durability.ToString() },
        ["sizes"] = sizes.ToJson(),
        ["officialSizes"] = withOfficial ? officialSizes.ToJson() : null,
        ["durable"] = Rounded(durable),
        ["inMemory"] = Rounded(memory),
        ["officialTestHost"] = official is null ? null : Rounded(official),
        ["ratioDurableToInMemory"] = figureKeys.ToDictionary(k => k, k => Math.Round(Ratio(k), 3)),
        ["sequentialToSyncedCommitRatio"] = Math.Round(sequentialToCommits, 3),
        ["sqliteCommitsPerSecFull"] = Math.Round(commitsFull),
        ["sqliteCommitsPerSecNormal"] = Math.Round(commitsNormal),
        ["peakRssMb"] = Math.Round(peakRssMb),
        ["peakRssMbWithOfficial"] = Math.Round(peakRssMbWithOfficial),
        ["goals"] = goals.ToDictionary(g => g.Figure, g => new { goal = g.Text, value = Math.Round(g.Value, 3), met = g.Met }),
        ["goalsMet"] = failed.Count == 0,
    };
    Console.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
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

// Runs every workload, each against a fresh backend from start(workload name); commitProbe, when given, measures the
// disk's commit rate just before and just after the sequential workload.
static async Task<Dictionary<string, double>> MeasureAsync(Func<string, Task<BenchHost>> start, Sizes sizes, Func<double>? commitProbe = null)
{
    var figures = new Dictionary<string, double>();

    async Task<T> Fresh<T>(string name, Func<BenchHost, Task<T>> run)
    {
        await using var host = await start(name);

        // Warm up the JIT and the store so the first measured instance does not pay for them.
        await Workloads.LatencyAsync(host, 20);
        var before = host.StoreCounters;
        var cpuBefore = ProcessCpu();
        var clock = Stopwatch.StartNew();
        var result = await run(host);
        Console.Error.WriteLine($"  {name}: {clock.Elapsed.TotalSeconds:F1} s");

        // Processor time the workload took (all threads), which a busy shared machine disturbs less than wall time.
        figures[$"{name}CpuMs"] = (ProcessCpu() - cpuBefore).TotalMilliseconds;
        if (before is { } first && host.StoreCounters is { } last)
        {
            var commits = last.Commits - first.Commits;
            figures[$"{name}StoreOpsPerCommit"] = commits == 0 ? 0 : (double)(last.Operations - first.Operations) / commits;
        }

        return result;
    }

    figures["helloSequence5OrchestrationsPerSec"] = await Fresh("hello", host => Workloads.HelloSequence5Async(host, sizes.HelloInstances));
    figures["sequential1000ActivitiesPerSec"] = await Fresh("sequential", async host =>
    {
        var before = commitProbe?.Invoke();
        var rate = await Workloads.SingleInstanceAsync(host, "Sequential", sizes.SequentialActivities);
        if (before is { } first && commitProbe?.Invoke() is { } second)
        {
            figures["sequentialCommitProbePerSec"] = (first + second) / 2;
        }

        return rate;
    });
    figures["fanOut10000ActivitiesPerSec"] = await Fresh("fanout", host => Workloads.SingleInstanceAsync(host, "FanOut", sizes.FanOutActivities));
    var latencies = await Fresh("latency", host => Workloads.LatencyAsync(host, sizes.LatencySamples));
    figures["latencyP50Ms"] = Workloads.Percentile(latencies, 50);
    figures["latencyP99Ms"] = Workloads.Percentile(latencies, 99);
    return figures;
}

static TimeSpan ProcessCpu()
{
    using var process = Process.GetCurrentProcess();
    return process.TotalProcessorTime;
}

static Dictionary<string, double> Rounded(Dictionary<string, double> figures) => figures.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 2));

// The process's peak resident set (VmHWM on Linux).
static double PeakRssMb()
{
    using var process = Process.GetCurrentProcess();
    return process.PeakWorkingSet64 / (1024.0 * 1024.0);
}

internal sealed record Sizes(int HelloInstances, int SequentialActivities, int FanOutActivities, int LatencySamples)
{
    public object ToJson() => new { helloInstances = HelloInstances, sequentialActivities = SequentialActivities, fanOutActivities = FanOutActivities, latencySamples = LatencySamples };
}

internal sealed record Goal(string Figure, string Text, double Value, Func<double, bool> Check)
{
    public bool Met => Check(Value);
}
