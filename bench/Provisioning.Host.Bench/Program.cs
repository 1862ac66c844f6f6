using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Arm;
using Provisioning.Arm.Resources;
using Provisioning.Host;
using Provisioning.Host.Bench;
using Provisioning.Host.Sandbox;
using Provisioning.Orchestrations;
using Provisioning.Rules;

// A burst of Event Grid deliveries (one event per POST, as Event Grid sends by default) with duplicates, posted
// concurrently to the real webhook of the real host on loopback. Reports deliveries accepted per second and the
// runs started, which must equal the unique event ids.
var options = BurstOptions.Parse(args);

// The first burst meets a cold process: most of the path still runs as tier-0 code. The second, on a new host and
// data directory in the same process, is what a host that has been up a while sees. Both are reported.
var (cold, coldGc) = await BurstAsync(options);
Print("first burst after the process started (cold JIT)", cold, coldGc, options);
var (warm, warmGc) = await BurstAsync(options);
Print("second burst, new host in the same process (warm JIT)", warm, warmGc, options);
Console.WriteLine(JsonSerializer.Serialize(new { cold, warm }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
return cold.RunsEqualUniqueIds && warm.RunsEqualUniqueIds && cold.Drain.DeployedImage == cold.Drain.NewestImage && warm.Drain.DeployedImage == warm.Drain.NewestImage ? 0 : 1;

static async Task<(BurstResult Result, GcFigures Gc)> BurstAsync(BurstOptions options)
{
    var data = Path.Combine(Path.GetTempPath(), "provisioning-eventgrid-bench", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(data);
    var rulesPath = Path.Combine(data, "rules.yaml");
    await File.WriteAllTextAsync(rulesPath, options.Rules);
    const string key = "bench-system-key";
    var app = await ProvisioningHostApplication.BuildAsync(
    [
        "--urls", "http://127.0.0.1:0",
        "--Provisioning:DataDirectory", data,
        "--Provisioning:TemplatesPath", RepositoryFolder("templates"),
        "--Provisioning:RulesPath", rulesPath,
        "--Provisioning:Keys:SystemKey", key,
        "--Provisioning:Keys:FunctionKey", "bench-function-key",
        "--Logging:LogLevel:Default", "Warning",
        "--AzureFunctionsJobHost:extensions:durableTask:maxConcurrentOrchestratorFunctions", options.EngineConcurrency.ToString(CultureInfo.InvariantCulture),
        "--AzureFunctionsJobHost:extensions:durableTask:maxConcurrentActivityFunctions", options.EngineConcurrency.ToString(CultureInfo.InvariantCulture),

        // The bench posts its own events; the sandbox's directory and grants are quick so the runs settle in seconds.
        "--Provisioning:Sandbox:SubscribeEvents", "false",
        "--Provisioning:Sandbox:PrincipalReplicationDelay", "00:00:01",
        "--Provisioning:Sandbox:GrantPropagationDelay", "00:00:02",
        "--Provisioning:Timings:OperationPollInterval", "00:00:00.5",
        "--Provisioning:Timings:ReadinessFirstInterval", "00:00:01",
        "--Provisioning:Timings:PrincipalRetryFirstInterval", "00:00:01",
        "--Provisioning:Timings:LaneCheckInterval", "00:00:01",
        "--Provisioning:EventGrid:SettleDelay", options.SettleDelay.ToString("c", CultureInfo.InvariantCulture),
    ]);
    await app.StartAsync();
    try
    {
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var subscription = app.Services.GetRequiredService<SandboxEnvironment>().Emulator.SubscriptionId;
        var deliveries = BurstPlan.Create(options.Events, options.DuplicateShare, subscription, seed: 42);
        var emulator = app.Services.GetRequiredService<SandboxEnvironment>().Emulator;
        foreach (var tag in deliveries.Select(d => d.Tag).Distinct(StringComparer.Ordinal))
        {
            emulator.PushImage("sandboxacr", "hello/web", tag);
        }

        var webhook = new Uri(address, $"/runtime/webhooks/eventgrid?functionName=ProvisioningEvents&code={key}");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency }) { Timeout = TimeSpan.FromSeconds(60) };

        // Warm-up: events no rule wants, so the path is compiled and connections are open before the clock starts.
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Concurrency * 2), async (i, ct) =>
            await SendAsync(http, webhook, BurstPlan.Unwanted($"warmup-{i}", subscription), ct));

        var latencies = new double[deliveries.Count];
        var statuses = new int[deliveries.Count];
        var started = 0;
        var duplicates = 0;
        var gcBefore = (Pause: GC.GetTotalPauseDuration(), Allocated: GC.GetTotalAllocatedBytes(), Gen0: GC.CollectionCount(0), Gen1: GC.CollectionCount(1), Gen2: GC.CollectionCount(2));
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, deliveries.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
            async (i, ct) =>
            {
                var begin = clock.Elapsed;
                var (status, body) = await SendAsync(http, webhook, deliveries[i].Json, ct);
                latencies[i] = (clock.Elapsed - begin).TotalMilliseconds;
                statuses[i] = status;
                if (status == 200)
                {
                    var outcome = JsonNode.Parse(body)!;
                    Interlocked.Add(ref started, outcome["started"]!.AsArray().Count);
                    Interlocked.Add(ref duplicates, outcome["duplicates"]!.AsArray().Count);
                }
            });
        var elapsed = clock.Elapsed;
        var gc = new GcFigures((GC.GetTotalPauseDuration() - gcBefore.Pause).TotalMilliseconds, (GC.GetTotalAllocatedBytes() - gcBefore.Allocated) / 1048576.0,
            GC.CollectionCount(0) - gcBefore.Gen0, GC.CollectionCount(1) - gcBefore.Gen1, GC.CollectionCount(2) - gcBefore.Gen2);

        var client = app.Services.GetRequiredService<DurableTaskClient>();
        var runs = await CountAsync(client, new OrchestrationQuery { InstanceIdPrefix = RunIds.ResourceGroupPrefix(subscription, "rg-sandbox"), PageSize = 1000 });
        var unique = deliveries.Select(d => d.EventId).Distinct(StringComparer.Ordinal).Count();
        var drain = await DrainAsync(app.Services, subscription, unique, clock);
        var accepted = statuses.Count(s => s == 200);
        var perSecond = accepted / elapsed.TotalSeconds;
        Array.Sort(latencies);
        var result = new BurstResult(
            deliveries.Count, unique, deliveries.Count - unique, options.Concurrency, accepted, Math.Round(elapsed.TotalMilliseconds, 1), Math.Round(perSecond, 0),
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99), started, duplicates, runs,
            runs == unique && started == unique, perSecond >= 2000, drain);

        return (result, gc);
    }
    finally
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(data, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's cleanup.
        }
    }
}

static void Print(string title, BurstResult result, GcFigures gc, BurstOptions options)
{
    Console.WriteLine();
    Console.WriteLine($"Event Grid burst on loopback (one event per POST): {title}");
    Console.WriteLine($"  {"deliveries",-28}{result.Deliveries,12}");
    Console.WriteLine($"  {"unique event ids",-28}{result.UniqueEvents,12}");
    Console.WriteLine($"  {"duplicate deliveries",-28}{result.DuplicateDeliveries,12}");
    Console.WriteLine($"  {"concurrent senders",-28}{result.Concurrency,12}");
    Console.WriteLine($"  {"engine concurrency",-28}{options.EngineConcurrency,12}");
    Console.WriteLine($"  {"accepted (200)",-28}{result.Accepted,12}");
    Console.WriteLine($"  {"elapsed ms",-28}{result.ElapsedMs,12:F1}");
    Console.WriteLine($"  {"accepted events/s",-28}{result.EventsPerSecond,12:F0}   goal >= 2000: {(result.MeetsGoal ? "met" : "NOT met")}");
    Console.WriteLine($"  {"latency p50 / p95 / p99 ms",-28}{$"{result.P50Ms:F1} / {result.P95Ms:F1} / {result.P99Ms:F1}",24}");
    Console.WriteLine($"  {"GC pause ms / allocated MB",-28}{$"{gc.PauseMs:F0} / {gc.AllocatedMb:F0}",24}   collections gen0/1/2: {gc.Gen0}/{gc.Gen1}/{gc.Gen2}");
    Console.WriteLine($"  {"runs started (responses)",-28}{result.StartedReported,12}");
    Console.WriteLine($"  {"duplicates recognised",-28}{result.DuplicatesReported,12}");
    Console.WriteLine($"  {"runs in the store",-28}{result.RunsInStore,12}   equals unique ids: {(result.RunsEqualUniqueIds ? "yes" : "NO")}");
    Console.WriteLine($"  {"settle delay s",-28}{options.SettleDelay.TotalSeconds,12:F1}");
    var drain = result.Drain;
    Console.WriteLine($"  {"all runs finished after s",-28}{drain.Seconds,12:F1}   still going: {drain.Unfinished}");
    Console.WriteLine($"  {"deployed / superseded / failed",-28}{$"{drain.Deployed} / {drain.Superseded} / {drain.Failed}",24}");
    Console.WriteLine($"  {"deployed image",-28}{drain.DeployedImage,40}   newest push: {(drain.DeployedImage == drain.NewestImage ? "yes" : $"NO ({drain.NewestImage})")}");
}

// Waits until every run of the burst has finished (at most five minutes) and reads what they came to.
static async Task<BurstDrain> DrainAsync(IServiceProvider services, string subscription, int unique, Stopwatch clock)
{
    var client = services.GetRequiredService<DurableTaskClient>();
    var prefix = RunIds.ResourceGroupPrefix(subscription, "rg-sandbox");
    OrchestrationRuntimeStatus[] going = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];
    var giveUpAt = clock.Elapsed + TimeSpan.FromMinutes(5);
    int unfinished;
    while ((unfinished = await CountAsync(client, new OrchestrationQuery { Statuses = going, InstanceIdPrefix = prefix, PageSize = 1000 })) > 0 && clock.Elapsed < giveUpAt)
    {
        await Task.Delay(200);
    }

    var seconds = Math.Round(clock.Elapsed.TotalSeconds, 1);
    int deployed = 0, superseded = 0, failed = 0;
    await foreach (var run in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, PageSize = 1000, FetchInputsAndOutputs = true }))
    {
        switch (run.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Completed when run.ReadOutputAs<ProvisioningResult>()?.SupersededBy is null:
                deployed++;
                break;
            case OrchestrationRuntimeStatus.Completed:
                superseded++;
                break;
            case OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated:
                failed++;
                break;
        }
    }

    var arm = services.GetRequiredService<ProvisioningArmClient>();
    var group = await arm.ContainerGroups.GetAsync(ArmResourceId.Parse($"/subscriptions/{subscription}/resourceGroups/rg-sandbox/providers/Microsoft.ContainerInstance/containerGroups/web"), CancellationToken.None);
    return new BurstDrain(seconds, deployed, superseded, failed, unfinished, group is { Containers.Count: > 0 } ? group.Containers[0].Image : null, $"sandboxacr.azurecr.io/hello/web:{BurstPlan.NewestTag(unique)}");
}

static async Task<(int Status, string Body)> SendAsync(HttpClient http, Uri webhook, string json, CancellationToken cancellationToken)
{
    using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = content };
    request.Headers.Add("aeg-event-type", "Notification");
    using var response = await http.SendAsync(request, cancellationToken);
    return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
}

static async Task<int> CountAsync(DurableTaskClient client, OrchestrationQuery query)
{
    var count = 0;
    await foreach (var page in client.GetAllInstancesAsync(query).AsPages())
    {
        count += page.Values.Count;
    }

    return count;
}

static double Percentile(double[] sorted, double p) => Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 1);

static string RepositoryFolder(string name)
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
        {
            return Path.Combine(directory.FullName, name);
        }
    }

    throw new InvalidOperationException("Run the benchmark from inside the repository (Functions.sln not found above it).");
}
