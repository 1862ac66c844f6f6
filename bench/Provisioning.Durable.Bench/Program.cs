// Embedded engine benchmark, with the SDK's official in-process test host as a reference column.
// Usage: dotnet run -c Release --project bench/Provisioning.Durable.Bench [-- --quick] [--normal] [--no-official] [--rounds N] [--cold]
// Prints a table, then the figures as one JSON object on the last line.
//
// Method: a warm-up round first runs every workload on both embedded backends, so the figures measure the
// engine's steady state rather than the JIT's first (tier-0) code; --cold skips it. Then N rounds (3 by default, 1 with
// --quick): in each, every workload runs on a fresh durable host and a fresh in-memory host, one right after the
// other, alternating which goes first. A figure is the median over rounds; a ratio is the median of each round's
// ratio, so both sides of it were measured within seconds of each other.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Provisioning.Durable.Bench;
using Provisioning.Durable.Embedded.Storage;

var quick = args.Contains("--quick");
var withOfficial = !args.Contains("--no-official");
var cold = args.Contains("--cold");
var rounds = Array.IndexOf(args, "--rounds") is var at and >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : quick ? 1 : 3;
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
    var run = 0;
    Task<BenchHost> StartDurable(string name) => EmbeddedBenchHost.StartAsync(Workloads.Register, Path.Combine(folder, $"durable-{name}-{++run}.db"), durability, counter, loggerFactory);
    Task<BenchHost> StartInMemory(string name) => EmbeddedBenchHost.StartAsync(Workloads.Register, null, durability, counter, loggerFactory);
    if (!cold)
    {
        // A whole round at full size, thrown away: a smaller one left the first measured round still paying for the
        // JIT's later tiers (its durable HelloSequence5 took twice the processor time of the next rounds').
        foreach (var workload in Workload.All)
        {
            await MeasureAsync(workload, StartDurable, sizes, new Dictionary<string, List<double>>());
            await MeasureAsync(workload, StartInMemory, sizes, new Dictionary<string, List<double>>());
        }

        Console.Error.WriteLine("  (warm-up done)");
    }

    var durableRounds = new Dictionary<string, List<double>>();
    var memoryRounds = new Dictionary<string, List<double>>();
    double CommitProbe() => SqliteCommitProbe.Measure(folder, synchronous, TimeSpan.FromSeconds(1));
    for (var round = 0; round < rounds; round++)
    {
        foreach (var workload in Workload.All)
        {
            if (round % 2 == 0)
            {
                await MeasureAsync(workload, StartDurable, sizes, durableRounds, CommitProbe);
                await MeasureAsync(workload, StartInMemory, sizes, memoryRounds);
            }
            else
            {
                await MeasureAsync(workload, StartInMemory, sizes, memoryRounds);
                await MeasureAsync(workload, StartDurable, sizes, durableRounds, CommitProbe);
            }
        }
    }

    var durable = Medians(durableRounds);
    var memory = Medians(memoryRounds);

    // The embedded backend's peak, before the official host (ASP.NET Core, gRPC, its own worker) adds to the process.
    var peakRssMb = PeakRssMb();
    var commitsFull = SqliteCommitProbe.Measure(folder, "FULL", TimeSpan.FromSeconds(2));
    var commitsNormal = SqliteCommitProbe.Measure(folder, "NORMAL", TimeSpan.FromSeconds(2));
    var syncedCommits = durable["sequentialCommitProbePerSec"];

    Dictionary<string, double>? official = null;
    if (withOfficial)
    {
        var officialRound = new Dictionary<string, List<double>>();
        foreach (var workload in Workload.All)
        {
            await MeasureAsync(workload, _ => OfficialTestHostBenchHost.StartAsync(Workloads.Register), officialSizes, officialRound);
        }

        official = Medians(officialRound);
    }

    var peakRssMbWithOfficial = PeakRssMb();

    string[] throughputKeys = ["helloSequence5OrchestrationsPerSec", "sequential1000ActivitiesPerSec", "fanOut10000ActivitiesPerSec"];
    string[] figureKeys = [.. throughputKeys, "latencyP50Ms", "latencyP99Ms"];
    // Each round's ratio, of figures measured seconds apart; the median of those.
    double Ratio(string key) => Median(durableRounds[key].Zip(memoryRounds[key], (d, m) => throughputKeys.Contains(key) ? d / m : m / d));
    var sequentialToCommits = Median(durableRounds["sequential1000ActivitiesPerSec"].Zip(durableRounds["sequentialCommitProbePerSec"], (d, c) => d / c));

    // What the disk allows those ratios to be, round by round: the durable sequential run cannot beat its synced commits
    // at the rate the probe beside it measured, and a durable one-activity orchestration takes at least the in-memory
    // latency plus its synced commits at that rate. None where nothing syncs (--normal).
    double? PerRound(string syncedPerUnit, Func<int, double, double> ceiling) => durableRounds[syncedPerUnit].Any(perUnit => perUnit == 0)
        ? null
        : Median(Enumerable.Range(0, rounds).Select(i => ceiling(i, durableRounds["sequentialCommitProbePerSec"][i])));
    var ceilings = new Dictionary<string, double?>
    {
        ["sequential1000ActivitiesPerSec"] = PerRound(
            "sequentialSyncedCommitsPerUnit",
            (i, commitsPerSec) => commitsPerSec / durableRounds["sequentialSyncedCommitsPerUnit"][i] / memoryRounds["sequential1000ActivitiesPerSec"][i]),
        ["latencyP50Ms"] = PerRound(
            "latencySyncedCommitsPerUnit",
            (i, commitsPerSec) => memoryRounds["latencyP50Ms"][i] / (memoryRounds["latencyP50Ms"][i] + (durableRounds["latencySyncedCommitsPerUnit"][i] * 1000 / commitsPerSec))),
    };
    static string CeilingText(double? ceiling) => ceiling?.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) ?? "-";

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
    Console.WriteLine($"Rounds: {rounds} (medians; durable and in-memory alternate within a round){(cold ? "; no warm-up (--cold): the first workloads run the JIT's tier-0 code" : "; after a warm-up round, not counted, of every workload on both backends")}");
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
    Console.WriteLine($"{"ratio ceiling on this disk, sequential",-38} {CeilingText(ceilings["sequential1000ActivitiesPerSec"]),16}   (commits/s beside it ÷ synced commits per step ÷ in-memory rate)");
    Console.WriteLine($"{"ratio ceiling on this disk, latency p50",-38} {CeilingText(ceilings["latencyP50Ms"]),16}   (in-memory p50 ÷ (it + synced commits × commit time beside it))");

    foreach (var key in durable.Keys.Where(k => k.EndsWith("StoreOpsPerCommit", StringComparison.Ordinal) || k.EndsWith("CpuMs", StringComparison.Ordinal)))
    {
        Console.WriteLine($"{key,-38} {durable[key],16:F1} {memory[key],12:F1}");
    }

    // Per orchestration for hello and latency, per activity for sequential and fan-out.
    foreach (var key in durable.Keys.Where(k => k.EndsWith("SyncedCommitsPerUnit", StringComparison.Ordinal)))
    {
        Console.WriteLine($"{key,-38} {durable[key],16:F3} {memory[key],12:F3}");
    }

    Console.WriteLine($"{"sqliteCommitsPerSec (1 row/txn, end)",-38} FULL {commitsFull,11:F0} NORMAL {commitsNormal:F0}");
    Console.WriteLine($"{"peakRssMb",-38} {peakRssMb,16:F0}   (embedded runs only{(withOfficial ? $"; {peakRssMbWithOfficial:F0} after the official host" : "")})");
    var failed = goals.Where(g => !g.Met).Select(g => g.Figure).ToList();
    Console.WriteLine($"Goals met: {goals.Count - failed.Count} of {goals.Count}{(failed.Count == 0 ? "" : $"; missed: {string.Join(", ", failed)}")}");
    Console.WriteLine();

    var json = new Dictionary<string, object?>
    {
        ["machine"] = new { cores = Environment.ProcessorCount, os = RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString(), quick, durability = durability.ToString(), rounds, warmUp = !cold },
        ["sizes"] = sizes.ToJson(),
        ["officialSizes"] = withOfficial ? officialSizes.ToJson() : null,
        ["durable"] = Rounded(durable),
        ["inMemory"] = Rounded(memory),
        ["officialTestHost"] = official is null ? null : Rounded(official),
        ["durableRounds"] = durableRounds.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => Math.Round(v, 2))),
        ["inMemoryRounds"] = memoryRounds.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => Math.Round(v, 2))),
        ["ratioDurableToInMemory"] = figureKeys.ToDictionary(k => k, k => Math.Round(Ratio(k), 3)),
        ["sequentialToSyncedCommitRatio"] = Math.Round(sequentialToCommits, 3),
        ["ratioCeilingOnThisDisk"] = ceilings.ToDictionary(kv => kv.Key, kv => kv.Value is { } ceiling ? Math.Round(ceiling, 3) : (double?)null),
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

// Runs one workload against a fresh backend from start(workload name) and adds its figures to the lists in figures;
// commitProbe, when given, measures the disk's commit rate just before and just after the sequential workload.
static async Task MeasureAsync(Workload workload, Func<string, Task<BenchHost>> start, Sizes sizes, Dictionary<string, List<double>> figures, Func<double>? commitProbe = null)
{
    void Add(string key, double value)
    {
        if (!figures.TryGetValue(key, out var values))
        {
            figures[key] = values = [];
        }

        values.Add(value);
    }

    var name = workload.Name;
    var units = name switch
    {
        "hello" => sizes.HelloInstances,
        "sequential" => sizes.SequentialActivities,
        "fanout" => sizes.FanOutActivities,
        _ => sizes.LatencySamples,
    };
    await using var host = await start(name);

    // Warm the store (and its caches) so the first measured instance does not pay for them.
    await Workloads.LatencyAsync(host, 20);
    var before = host.StoreCounters;
    var cpuBefore = ProcessCpu();
    var clock = Stopwatch.StartNew();
    switch (name)
    {
        case "hello":
            Add("helloSequence5OrchestrationsPerSec", await Workloads.HelloSequence5Async(host, sizes.HelloInstances));
            break;
        case "sequential":
            var probeBefore = commitProbe?.Invoke();
            Add("sequential1000ActivitiesPerSec", await Workloads.SingleInstanceAsync(host, "Sequential", sizes.SequentialActivities));
            if (probeBefore is { } first && commitProbe?.Invoke() is { } second)
            {
                Add("sequentialCommitProbePerSec", (first + second) / 2);
            }

            break;
        case "fanout":
            Add("fanOut10000ActivitiesPerSec", await Workloads.SingleInstanceAsync(host, "FanOut", sizes.FanOutActivities));
            break;
        default:
            var latencies = await Workloads.LatencyAsync(host, sizes.LatencySamples);
            Add("latencyP50Ms", Workloads.Percentile(latencies, 50));
            Add("latencyP99Ms", Workloads.Percentile(latencies, 99));
            break;
    }

    Console.Error.WriteLine($"  {name}: {clock.Elapsed.TotalSeconds:F1} s");

    // Processor time the workload took (all threads), which a busy shared machine disturbs less than wall time. The
    // sequential workload's includes the commit probes beside it.
    Add($"{name}CpuMs", (ProcessCpu() - cpuBefore).TotalMilliseconds);
    if (before is { } firstCounters && host.StoreCounters is { } last)
    {
        var commits = last.Commits - firstCounters.Commits;
        Add($"{name}StoreOpsPerCommit", commits == 0 ? 0 : (double)(last.Operations - firstCounters.Operations) / commits);

        // Per orchestration (hello, latency) or per activity (sequential, fan-out).
        Add($"{name}SyncedCommitsPerUnit", (double)(last.SyncedCommits - firstCounters.SyncedCommits) / units);
    }
}

static Dictionary<string, double> Medians(Dictionary<string, List<double>> rounds) => rounds.ToDictionary(kv => kv.Key, kv => Median(kv.Value));

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
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

/// <summary>One measured workload; <see cref="All"/> in the order they run.</summary>
internal sealed record Workload(string Name)
{
    public static readonly Workload[] All = [new("hello"), new("sequential"), new("fanout"), new("latency")];
}

internal sealed record Sizes(int HelloInstances, int SequentialActivities, int FanOutActivities, int LatencySamples)
{
    public object ToJson() => new { helloInstances = HelloInstances, sequentialActivities = SequentialActivities, fanOutActivities = FanOutActivities, latencySamples = LatencySamples };
}

internal sealed record Goal(string Figure, string Text, double Value, Func<double, bool> Check)
{
    public bool Met => Check(Value);
}
