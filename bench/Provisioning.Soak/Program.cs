using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Provisioning.Soak;

// Soak: the self-hosted host, a child process on one SQLite store, is killed with SIGKILL at random points and started
// again, while runs started over HTTP and by Event Grid events meet the external emulator's faults (transient 5xx, 429
// token buckets, principal replication and grant propagation delays, container groups forced to fail, duplicate
// deliveries). Once every run has ended, what "Azure" holds is audited against the runs. A table, then one JSON line.
var options = SoakOptions.Parse(args);
var random = new Random(options.Seed);
var repository = RepositoryFolder();
var work = Path.Combine(Path.GetTempPath(), "provisioning-soak", DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture));
var logs = Directory.CreateDirectory(Path.Combine(work, "logs")).FullName;
var overall = Stopwatch.StartNew();
void Report(string line) => Console.Error.WriteLine($"[{overall.Elapsed:mm\\:ss}] {line}");

#if DEBUG
const string Configuration = "Debug";
Report("built in Debug: the host and the emulator run their Debug builds (use -c Release for figures)");
#else
const string Configuration = "Release";
#endif

// The outputs are copied, so a rebuild in the shared tree cannot change the binaries under a running soak.
var hostDll = CopyOutput("Provisioning.Host", Path.Combine(work, "bin", "host"));
var emulatorDll = CopyOutput("Provisioning.ArmEmulator", Path.Combine(work, "bin", "emulator"));
var workloads = SoakPlan.Create(options.Runs, options.FailShare, random);
var failing = workloads.Where(w => w.ForcedToFail).Select(w => w.Group).ToList();

// The emulator: its own process for the whole soak, so "Azure" stays up while the host dies.
var emulatorPort = FreePort();
var emulatorData = Path.Combine(work, "emulator");
using var emulatorProcess = ChildProcess.Start(
    emulatorDll,
    ["--port", emulatorPort.ToString(CultureInfo.InvariantCulture), "--data", emulatorData],
    new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
    Path.GetDirectoryName(emulatorDll)!,
    Path.Combine(logs, "emulator.log"));
var emulatorUri = new Uri($"https://127.0.0.1:{emulatorPort}/");
using var emulator = await ConnectEmulatorAsync();
var subscription = await emulator.GetSubscriptionIdAsync(CancellationToken.None);
await emulator.ArmAsync(HttpMethod.Put, $"subscriptions/{subscription}/resourcegroups/{SoakPlan.ResourceGroup}?api-version=2024-03-01", new JsonObject { ["location"] = SoakPlan.Location }, CancellationToken.None);

// The host: a data folder (store, keys), the soak's rules (one per event workload) and host.json in its content root.
var hostRoot = Directory.CreateDirectory(Path.Combine(work, "host")).FullName;
File.Copy(Path.Combine(repository, "host.json"), Path.Combine(hostRoot, "host.json"));
var rulesPath = Path.Combine(hostRoot, "rules.yaml");
await File.WriteAllTextAsync(rulesPath, SoakPlan.Rules(workloads));
var hostPort = FreePort();
const string FunctionKey = "soak-function-key";
const string SystemKey = "soak-system-key";

// The name the host's own sandbox subscription has, so either way there is one subscription to the webhook.
const string SubscriptionName = "provisioning-host";
var hostEnvironment = new Dictionary<string, string>
{
    ["Provisioning__Mode"] = "Sandbox",
    ["Provisioning__Sandbox__EmulatorUrl"] = emulatorUri.ToString(),
    ["Provisioning__Sandbox__EmulatorCertificatePath"] = Path.Combine(emulatorData, "arm-emulator.pem"),
    ["Provisioning__DataDirectory"] = Path.Combine(hostRoot, ".data"),
    ["Provisioning__TemplatesPath"] = Path.Combine(repository, "templates"),
    ["Provisioning__RulesPath"] = rulesPath,
    ["Provisioning__Keys__FunctionKey"] = FunctionKey,
    ["Provisioning__Keys__SystemKey"] = SystemKey,
    ["Provisioning__EventGrid__SettleDelay"] = "00:00:01",
    ["Provisioning__Timings__PrincipalRetryFirstInterval"] = "00:00:01",
    ["Provisioning__Timings__ReadinessFirstInterval"] = "00:00:02",
    ["Provisioning__Timings__ReadinessMaxInterval"] = "00:00:10",
    ["Provisioning__Timings__ReadinessDeadline"] = "00:05:00",
    ["Provisioning__Timings__OperationPollInterval"] = "00:00:01",
    ["Provisioning__Timings__TransientFirstInterval"] = "00:00:01",
    ["Provisioning__Timings__LaneCheckInterval"] = "00:00:01",
    ["Provisioning__Sandbox__SubscribeEvents"] = options.HostSubscribes ? "true" : "false",
    ["Logging__LogLevel__Default"] = "Warning",
    ["Logging__LogLevel__Provisioning"] = "Information",
};
using var hostClient = new HostClient(new Uri($"http://127.0.0.1:{hostPort}/"), FunctionKey, SystemKey);
using var supervisor = new HostSupervisor(
    start => ChildProcess.Start(hostDll, ["--urls", $"http://127.0.0.1:{hostPort}", "--contentRoot", hostRoot], hostEnvironment, hostRoot, Path.Combine(logs, "host.log")),
    hostClient,
    random,
    options);
await supervisor.StartAsync(CancellationToken.None);
if (!options.HostSubscribes)
{
    // As in Azure, the Event Grid subscription is infrastructure, made once (infra/eventgrid.bicep); here, to the
    // registry's pushes only. Deliveries that meet a dead host are retried on Event Grid's schedule.
    var webhook = new Uri($"http://127.0.0.1:{hostPort}/runtime/webhooks/eventgrid?functionName=ProvisioningEvents&code={SystemKey}");
    var state = await emulator.SubscribeAsync(SubscriptionName, webhook, ["Microsoft.ContainerRegistry.ImagePushed"], CancellationToken.None);
    Report($"Event Grid subscription {SubscriptionName} to the host's webhook: {state}");
}

await WaitForSubscriptionAsync();
var baseline = (await emulator.GetInventoryAsync(CancellationToken.None)).Select(e => (string)e!["id"]!).ToHashSet(StringComparer.OrdinalIgnoreCase);

await emulator.SetFaultsAsync(SoakFaults(failing), CancellationToken.None);
Report($"emulator {emulatorUri} (pid {emulatorProcess.Id}), host http://127.0.0.1:{hostPort}; {workloads.Count} runs, {failing.Count} forced to fail, {options.Kills} kills; "
    + $"Event Grid subscription made {(options.HostSubscribes ? "by the host at every start" : "once")}; work folder {work}");

// Runs start over the start window, half over HTTP, half by image pushes, while the host is killed and restarted.
var wall = Stopwatch.StartNew();
var httpOutcomes = new Dictionary<string, string>(StringComparer.Ordinal);
var httpRetries = 0;
var spacing = TimeSpan.FromSeconds(options.StartWindowSeconds / Math.Max(1, workloads.Count / 2));
var httpDriver = Task.Run(async () =>
{
    var index = 0;
    foreach (var workload in workloads.Where(w => w.Path == StartPath.Http))
    {
        await DelayUntil(spacing * index++);
        while (true)
        {
            var (status, body) = await hostClient.StartAsync(workload, CancellationToken.None);
            if (status is 202 or 409)
            {
                httpOutcomes[workload.Group] = status.Value.ToString(CultureInfo.InvariantCulture);
                break;
            }

            if (status is >= 400 and < 500 and not 429)
            {
                httpOutcomes[workload.Group] = $"{status}: {body}";
                Report($"start of {workload.Group} refused for good: {status} {body}");
                break;
            }

            Interlocked.Increment(ref httpRetries);
            await Task.Delay(300);
        }
    }
});
var eventDriver = Task.Run(async () =>
{
    var index = 0;
    foreach (var workload in workloads.Where(w => w.Path == StartPath.Event))
    {
        await DelayUntil((spacing * index++) + (spacing / 2));
        await emulator.PushImageAsync(SoakPlan.Registry, workload.Repository, "1.0", CancellationToken.None);
    }
});
await supervisor.KillRepeatedlyAsync(Report, CancellationToken.None);
await Task.WhenAll(httpDriver, eventDriver);
var lastRestart = wall.Elapsed;
Report($"last restart done; {httpRetries} HTTP start attempts were retried; waiting for every run to end");

// Drain: every workload's run exists and has ended (or the timeout passed).
IReadOnlyList<HostRun> runs = [];
var drainClock = Stopwatch.StartNew();
var lastReport = TimeSpan.Zero;
while (drainClock.Elapsed < TimeSpan.FromSeconds(options.DrainTimeoutSeconds))
{
    supervisor.EnsureRunning(Report);
    runs = await hostClient.ListRunsAsync(CancellationToken.None) ?? runs;

    // An event workload without a run is waited for only while a delivery of its event may still come.
    var delivering = new EventDeliveries(workloads, await emulator.GetEventsAsync(CancellationToken.None), await emulator.GetDeliveriesAsync(CancellationToken.None));
    var pending = workloads.Count(w => SoakAudit.RunsOf(w, runs, subscription) is var own
        && (own.Any(r => !r.IsFinished) || (own.Count == 0 && (w.Path == StartPath.Http || delivering.MayStillStart(w, DateTimeOffset.UtcNow)))));
    if (pending == 0)
    {
        break;
    }

    if (drainClock.Elapsed - lastReport > TimeSpan.FromSeconds(15))
    {
        lastReport = drainClock.Elapsed;
        Report($"{pending} workload(s) still without a finished run ({runs.Count} runs in the store)");
    }

    await Task.Delay(2000);
}

var wallTime = wall.Elapsed;
Report($"runs drained after {drainClock.Elapsed.TotalSeconds:F0} s; auditing");

// Audit on a quiet emulator: the faults are lifted so the audit's own reads are not refused.
await emulator.SetFaultsAsync(new JsonObject
{
    ["principalReplicationDelay"] = "00:00:00",
    ["grantPropagationDelay"] = "00:00:00",
    ["throttling"] = new JsonObject { ["enabled"] = false },
}, CancellationToken.None);
runs = await hostClient.ListRunsAsync(CancellationToken.None) ?? runs;
var events = await emulator.GetEventsAsync(CancellationToken.None);
var deliveries = await emulator.GetDeliveriesAsync(CancellationToken.None);
var audit = new SoakAudit();
audit.CheckRuns(workloads, runs, subscription, new EventDeliveries(workloads, events, deliveries));
audit.CheckResources(await ReadResourcesAsync(), runs);
audit.CheckEvents(workloads, events, runs, subscription);
var requests = await emulator.GetRequestLogAsync(CancellationToken.None);
int CountRequests(Func<JsonNode, bool> predicate) => requests.Count(r => r is not null && predicate(r));
int CountDeliveries(string outcome) => deliveries.Count(d => (string?)d?["outcome"] == outcome);

double[] recovery;
lock (supervisor.RecoverySeconds)
{
    recovery = [.. supervisor.RecoverySeconds.Order()];
}

var result = new SoakResult(
    Runs: workloads.Count,
    HostSubscribes: options.HostSubscribes,
    StartedOverHttp: workloads.Count(w => w.Path == StartPath.Http),
    StartedByEvents: workloads.Count(w => w.Path == StartPath.Event),
    ForcedToFail: audit.ForcedFailures,
    Kills: supervisor.Kills,
    HostStarts: supervisor.Starts,
    HostSelfExits: supervisor.SelfExits,
    RecoveryMedianSeconds: recovery.Length == 0 ? 0 : Math.Round(recovery[recovery.Length / 2], 1),
    RecoveryMaxSeconds: recovery.Length == 0 ? 0 : Math.Round(recovery[^1], 1),
    HttpStartRetries: httpRetries,
    HttpStartsAnswered409: httpOutcomes.Values.Count(v => v == "409"),
    RunsInStore: audit.RunsInStore,
    Completed: audit.Completed,
    Failed: audit.Failed,
    Terminated: audit.Terminated,
    UnexpectedOutcomes: audit.UnexpectedOutcomes,
    NotFinished: audit.NotFinished + audit.NeverStarted,
    Lost: audit.Lost,
    Leaked: audit.Leaked,
    Duplicated: audit.Duplicated,
    SuccessfulRunsResourcesExactlyOnce: audit.SuccessfulRunsExactlyOnce,
    MissingResources: audit.MissingResources,
    DuplicatedResources: audit.DuplicatedResources,
    ResourcesLeftByFailedRuns: audit.LeftByFailedRuns,
    ResourcesWithoutOwnerRun: audit.WithoutOwnerRun,
    ResourcesAudited: audit.ResourcesAudited,
    Events: audit.Events,
    EventsWithExactlyOneRun: audit.EventsWithOneRun,
    ExtraRunsPerEvent: audit.ExtraRunsPerEvent,
    EventsNeverDelivered: audit.EventsNeverDelivered,
    ArmRequests: requests.Count,
    Throttled429: CountRequests(r => (int?)r["status"] == 429),
    Injected5xx: CountRequests(r => (int?)r["status"] >= 500 && (string?)r["errorCode"] is "ServiceUnavailable" or "InternalServerError"),
    PrincipalNotFound: CountRequests(r => (string?)r["errorCode"] == "PrincipalNotFound"),
    PullRefusals: CountRequests(r => (string?)r["errorCode"] is "InaccessibleImage"),
    DeliveriesRetried: CountDeliveries("Retrying"),
    DuplicateDeliveries: CountDeliveries("Duplicate"),
    DeadLettered: CountDeliveries("DeadLettered"),
    LastRestartSeconds: Math.Round(lastRestart.TotalSeconds, 1),
    WallSeconds: Math.Round(wallTime.TotalSeconds, 1));

Print(result, audit);
var met = result.GoalsMet;
supervisor.Dispose();
emulatorProcess.Dispose();
if (options.Keep || !met)
{
    Report($"kept the work folder (logs, store, emulator state): {work}");
}
else
{
    TryDelete(work);
}

Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
return met ? 0 : 1;

async Task DelayUntil(TimeSpan offset)
{
    var wait = offset - wall.Elapsed;
    if (wait > TimeSpan.Zero)
    {
        await Task.Delay(wait);
    }
}

async Task<EmulatorClient> ConnectEmulatorAsync()
{
    var clock = Stopwatch.StartNew();
    while (true)
    {
        if (File.Exists(Path.Combine(emulatorData, "arm-emulator.json")))
        {
            var client = new EmulatorClient(emulatorUri, emulatorData);
            try
            {
                await client.GetInventoryAsync(CancellationToken.None);
                return client;
            }
            catch (HttpRequestException)
            {
                client.Dispose();
            }
        }

        if (emulatorProcess.HasExited || clock.Elapsed > TimeSpan.FromMinutes(1))
        {
            throw new InvalidOperationException($"The emulator did not start; see {Path.Combine(logs, "emulator.log")}.");
        }

        await Task.Delay(200);
    }
}

async Task WaitForSubscriptionAsync()
{
    var clock = Stopwatch.StartNew();
    while (await emulator.GetSubscriptionStateAsync(SubscriptionName, CancellationToken.None) != "Succeeded")
    {
        if (clock.Elapsed > TimeSpan.FromMinutes(1))
        {
            throw new InvalidOperationException("The host did not subscribe its Event Grid webhook to the emulator within a minute.");
        }

        await Task.Delay(200);
    }
}

// Every identity, role assignment and container group made since the soak began, read through ARM for its tags or principal.
async Task<IReadOnlyList<AuditedResource>> ReadResourcesAsync()
{
    var inventory = (await emulator.GetInventoryAsync(CancellationToken.None)).OfType<JsonObject>()
        .Where(e => !baseline.Contains((string)e["id"]!))
        .Select(e => (Id: (string)e["id"]!, Type: (string)e["type"]!))
        .ToList();
    var audited = new List<AuditedResource>();
    foreach (var (id, type) in inventory)
    {
        if (type.Equals(SoakAudit.IdentityType, StringComparison.OrdinalIgnoreCase))
        {
            var body = await emulator.GetResourceAsync(id, "2024-11-30", CancellationToken.None);
            audited.Add(new AuditedResource(id, SoakAudit.IdentityType, (string?)body?["tags"]?[SoakAudit.OwnershipTag], (string?)body?["properties"]?["principalId"]));
        }
        else if (type.Equals(SoakAudit.ContainerGroupType, StringComparison.OrdinalIgnoreCase))
        {
            var body = await emulator.GetResourceAsync(id, "2025-09-01", CancellationToken.None);
            audited.Add(new AuditedResource(id, SoakAudit.ContainerGroupType, (string?)body?["tags"]?[SoakAudit.OwnershipTag], null));
        }
        else if (type.Equals(SoakAudit.RoleAssignmentType, StringComparison.OrdinalIgnoreCase))
        {
            var body = await emulator.GetResourceAsync(id, "2022-04-01", CancellationToken.None);
            audited.Add(new AuditedResource(id, SoakAudit.RoleAssignmentType, null, (string?)body?["properties"]?["principalId"]));
        }
        else
        {
            Report($"also created during the soak: {type} {id}");
        }
    }

    return audited;
}

static JsonObject SoakFaults(IReadOnlyList<string> failing) => new()
{
    // Short delays, so the soak ends in minutes: a new principal is unknown to the directory for 4 s (PUTs without
    // principalType get PrincipalNotFound), a grant takes 8 s to let pulls through.
    ["principalReplicationDelay"] = "00:00:04",
    ["grantPropagationDelay"] = "00:00:08",
    ["provisioningDuration"] = "00:00:02",
    ["throttling"] = new JsonObject { ["enabled"] = true, ["readBurst"] = 60, ["readsPerSecond"] = 25, ["writeBurst"] = 30, ["writesPerSecond"] = 12 },
    ["transientFailureRate"] = 0.05,
    ["failingResources"] = new JsonArray([.. failing.Select(name => JsonValue.Create(name))]),
    ["duplicateDeliveryRate"] = 0.1,
};

static void Print(SoakResult r, SoakAudit audit)
{
    static string Goal(bool met) => met ? "met" : "NOT met";
    Console.WriteLine();
    Console.WriteLine("Soak: host killed with SIGKILL and restarted, external emulator with faults");
    Console.WriteLine($"  {"runs (http / events)",-40}{r.Runs,8}   ({r.StartedOverHttp} / {r.StartedByEvents}), {r.ForcedToFail} forced to fail");
    Console.WriteLine($"  {"Event Grid subscription made",-40}{(r.HostSubscribes ? "by the host at every start" : "once, as in Azure"),8}");
    Console.WriteLine($"  {"kills (SIGKILL) / host starts",-40}{r.Kills,8}   / {r.HostStarts} ({r.HostSelfExits} exited by themselves)");
    Console.WriteLine($"  {"kill to serving again, median / max s",-40}{r.RecoveryMedianSeconds,8:F1}   / {r.RecoveryMaxSeconds:F1}");
    Console.WriteLine($"  {"runs in the store",-40}{r.RunsInStore,8}   completed {r.Completed}, failed {r.Failed}, terminated {r.Terminated}");
    Console.WriteLine($"  {"unexpected outcomes",-40}{r.UnexpectedOutcomes,8}   (a forced failure that succeeded, or a failure not forced)");
    Console.WriteLine($"  {"runs not finished",-40}{r.NotFinished,8}   goal 0: {Goal(r.NotFinished == 0)}");
    Console.WriteLine($"  {"successful runs, resources exactly once",-40}{r.SuccessfulRunsResourcesExactlyOnce,8}   missing {r.MissingResources}, extra {r.DuplicatedResources}: {Goal(r.MissingResources == 0 && r.DuplicatedResources == 0)}");
    Console.WriteLine($"  {"resources left by a failed run",-40}{r.ResourcesLeftByFailedRuns,8}   goal 0: {Goal(r.ResourcesLeftByFailedRuns == 0)}");
    Console.WriteLine($"  {"resources with no owner run",-40}{r.ResourcesWithoutOwnerRun,8}   goal 0: {Goal(r.ResourcesWithoutOwnerRun == 0)}");
    Console.WriteLine($"  {"events / with exactly one run",-40}{r.Events,8}   / {r.EventsWithExactlyOneRun}, extra runs {r.ExtraRunsPerEvent}, never delivered {r.EventsNeverDelivered}: {Goal(r.Events == r.StartedByEvents && r.EventsWithExactlyOneRun == r.Events)}");
    Console.WriteLine($"  {"lost / leaked / duplicated",-40}{$"{r.Lost} / {r.Leaked} / {r.Duplicated}",8}");
    Console.WriteLine($"  {"ARM requests / 429 / injected 5xx",-40}{r.ArmRequests,8}   / {r.Throttled429} / {r.Injected5xx}; PrincipalNotFound {r.PrincipalNotFound}, pull refusals {r.PullRefusals}");
    Console.WriteLine($"  {"deliveries retried / duplicates / dead",-40}{r.DeliveriesRetried,8}   / {r.DuplicateDeliveries} / {r.DeadLettered}");
    Console.WriteLine($"  {"wall time s (last restart at)",-40}{r.WallSeconds,8:F1}   ({r.LastRestartSeconds:F1})");
    Console.WriteLine($"  {"all goals",-40}{Goal(r.GoalsMet),8}");
    foreach (var problem in audit.Problems.Take(40))
    {
        Console.WriteLine($"  ! {problem}");
    }

    if (audit.Problems.Count > 40)
    {
        Console.WriteLine($"  ! … and {audit.Problems.Count - 40} more");
    }
}

string CopyOutput(string project, string destination)
{
    var output = Path.Combine(repository, "src", project, "bin", Configuration, "net10.0");
    var dll = Path.Combine(output, project + ".dll");
    if (!File.Exists(dll))
    {
        throw new InvalidOperationException($"{dll} is missing: build the soak (it builds {project}) with -c {Configuration}.");
    }

    foreach (var file in Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(destination, Path.GetRelativePath(output, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
    }

    return Path.Combine(destination, project + ".dll");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static void TryDelete(string folder)
{
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
        // Left for the temp folder's cleanup.
    }
}

static string RepositoryFolder()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run the soak from inside the repository (Functions.sln not found above it).");
}
