using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Arm;
using Provisioning.Durable.Embedded;
using Provisioning.Host.Configuration;
using Provisioning.Host.Sandbox;
using Provisioning.Orchestrations;
using Provisioning.Runs;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

// End-to-end provisioning on one machine: the sandbox emulator (HTTPS, loopback), the ARM client, the embedded
// engine on SQLite. Scenario "no faults": grant effective at once, ARM calls per run. Scenario "delay D": the
// grant takes D to become effective; time to done minus D is what the product adds on top of Azure. Scenario "ACR
// task": templates/build-task.yaml, a task whose system identity is granted on the base registry after the task is
// created; its runs fail until the grant is effective D later.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var delay = TimeSpan.FromSeconds(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 5);
var root = Path.Combine(Path.GetTempPath(), "provisioning-e2e-bench", Guid.NewGuid().ToString("N"));
var timings = new ProvisioningTimings
{
    PrincipalRetryFirstInterval = TimeSpan.FromMilliseconds(500),
    ReadinessFirstInterval = TimeSpan.FromMilliseconds(500),
    ReadinessMaxInterval = TimeSpan.FromSeconds(1),
    OperationPollInterval = TimeSpan.FromMilliseconds(250),
    TransientFirstInterval = TimeSpan.FromMilliseconds(500),
};

var noFaults = await MeasureAsync("no faults", TimeSpan.Zero, runs, "web");
var delayed = await MeasureAsync($"grant delay {delay.TotalSeconds:0.#} s", delay, Math.Max(3, runs / 2), "web");
var task = await MeasureAsync($"ACR task, delay {delay.TotalSeconds:0.#} s", delay, Math.Max(3, runs / 2), "build-task");

// With one fixed D, every run meets the grant at the same point of the attempt cycle, so the figure above depends on
// that phase. Here D grows by a tenth of the longest backoff from run to run, so the runs meet it across one cycle.
var spreadRuns = Math.Max(10, runs);
var spread = await MeasureAsync(
    $"grant delay {delay.TotalSeconds:0.#} s + phase", delay, spreadRuns, "web", i => delay + (timings.ReadinessMaxInterval * (i % 10) / 10));

Console.WriteLine();
Console.WriteLine($"{"scenario",-22} {"runs",5} {"p50 done (s)",13} {"p50 done-D (s)",15} {"max done-D (s)",15} {"ARM calls/run",14} {"attempts/run",13}");
foreach (var row in new[] { noFaults, delayed, task, spread })
{
    Console.WriteLine($"{row.Name,-22} {row.Runs,5} {row.P50Seconds,13:0.000} {row.P50OverheadSeconds,15:0.000} {row.MaxOverheadSeconds,15:0.000} {row.ArmCallsPerRun,14:0.0} {row.AttemptsPerRun,13:0.0}");
}

Console.WriteLine(JsonSerializer.Serialize(new
{
    runs_no_faults = noFaults.Runs,
    arm_calls_per_run_no_faults = noFaults.ArmCallsPerRun,
    p50_seconds_no_faults = noFaults.P50Seconds,
    grant_delay_seconds = delay.TotalSeconds,
    p50_done_minus_delay_seconds = delayed.P50OverheadSeconds,
    max_done_minus_delay_seconds = delayed.MaxOverheadSeconds,
    arm_calls_per_run_with_delay = delayed.ArmCallsPerRun,
    deployment_attempts_per_run_with_delay = delayed.AttemptsPerRun,
    acr_task_p50_done_seconds = task.P50Seconds,
    acr_task_max_done_seconds = task.MaxOverheadSeconds + delay.TotalSeconds,
    acr_task_p50_done_minus_delay_seconds = task.P50OverheadSeconds,
    acr_task_runs_per_provisioning = task.AttemptsPerRun,
    phase_spread_p50_done_minus_delay_seconds = spread.P50OverheadSeconds,
    phase_spread_max_done_minus_delay_seconds = spread.MaxOverheadSeconds,
}));
return 0;

async Task<Row> MeasureAsync(string name, TimeSpan grantDelay, int count, string template, Func<int, TimeSpan>? delayOfRun = null)
{
    var data = Path.Combine(root, name.Replace(' ', '-'));
    await using var sandbox = await SandboxEnvironment.StartAsync(
        new SandboxSettings
        {
            PrincipalReplicationDelay = TimeSpan.FromSeconds(10),
            GrantPropagationDelay = grantDelay,
            ProvisioningDuration = TimeSpan.FromMilliseconds(300),
            AsyncRetryAfterSeconds = 0,
        },
        data,
        CancellationToken.None);
    var arm = ProvisioningArmClient.ForSandbox(sandbox.Endpoint);
    await using var engine = await EmbeddedEngineHost.StartAsync(
        registry => registry.AddProvisioning(),
        Path.Combine(data, "engine.db"),
        configureServices: services => services.AddSingleton(arm));
    var catalog = await TemplateCatalog.LoadFolderAsync(FindTemplates());
    var starter = new ProvisioningStarter(catalog, engine.Client, timings);
    var target = new TemplateTarget(sandbox.Emulator.SubscriptionId, sandbox.Settings.ResourceGroup, "westeurope");

    var durations = new List<double>();
    var overheads = new List<double>();
    var attempts = 0;
    sandbox.Emulator.ClearRequestLog();
    for (var i = 0; i < count; i++)
    {
        var parameters = template == "web"
            ? new Dictionary<string, JsonNode?>
            {
                ["image"] = sandbox.ImageReference,
                ["registryName"] = sandbox.Settings.Registry,
                ["identityName"] = $"bench-puller-{i}",
                ["groupName"] = $"bench-web-{i}",
                ["dnsLabel"] = $"bench-web-{i}",
            }
            : new Dictionary<string, JsonNode?> { ["taskName"] = $"bench-task-{i}" };
        var runDelay = delayOfRun?.Invoke(i) ?? grantDelay;
        sandbox.Emulator.Faults.Update(faults => faults with { GrantPropagationDelay = runDelay });
        var clock = Stopwatch.StartNew();
        var id = await starter.StartAsync(template, parameters, target);
        var done = await engine.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
        clock.Stop();
        if (done.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
        {
            throw new InvalidOperationException($"Run {id} ended {done.RuntimeStatus}: {done.FailureDetails}");
        }

        attempts += done.ReadOutputAs<ProvisioningResult>()!.DeploymentAttempts;
        durations.Add(clock.Elapsed.TotalSeconds);
        overheads.Add(clock.Elapsed.TotalSeconds - runDelay.TotalSeconds);
    }

    if (Environment.GetEnvironmentVariable("E2E_BENCH_TRACE") == "1")
    {
        var log = sandbox.Emulator.GetRequestLog();
        var t0 = log[0].Time;
        foreach (var entry in log)
        {
            Console.WriteLine($"  {(entry.Time - t0).TotalSeconds,8:0.000} {entry.Method,-6} {entry.Status} {entry.Path} {entry.ErrorCode}");
        }
    }

    var calls = sandbox.Emulator.GetRequestLog().Count;
    durations.Sort();
    overheads.Sort();
    Console.WriteLine($"{name}: {count} runs, done in {string.Join(", ", durations.Select(d => d.ToString("0.00", CultureInfo.InvariantCulture)))} s; {calls} ARM requests");
    return new Row(name, count, durations[durations.Count / 2], overheads[overheads.Count / 2], overheads[^1], (double)calls / count, (double)attempts / count);
}

static string FindTemplates()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
        {
            return Path.Combine(directory.FullName, "templates");
        }
    }

    throw new InvalidOperationException("Run the benchmark from the repository (templates/ not found above the binaries).");
}

internal sealed record Row(string Name, int Runs, double P50Seconds, double P50OverheadSeconds, double MaxOverheadSeconds, double ArmCallsPerRun, double AttemptsPerRun);
