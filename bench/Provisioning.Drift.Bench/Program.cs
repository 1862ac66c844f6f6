using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Arm;
using Provisioning.Arm.Pipeline;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Drift;
using Provisioning.Durable.Embedded;
using Provisioning.Orchestrations;
using Provisioning.Rules;
using Provisioning.Runs;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

// Drift at scale. The desired state comes from real run records: every one of the N workloads is deployed by a real
// ProvisionWorkload run (identity, AcrPull grant, container group) against the emulator, with Azure's delays set to
// zero so the runs finish fast. Then 50 are drifted by hand through ARM, in five ways (10 each): identity deleted,
// grant removed, image changed, group stopped, group deleted. A dry-run scan is measured (ARM requests from the
// emulator's request log, scan time from the report); then a repairing scan runs and its repairs are followed.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
const int PerKind = 10;
const string Group = "rg-drift-bench";
const string Registry = "benchacr";
var root = Path.Combine(Path.GetTempPath(), "provisioning-drift-bench", Guid.NewGuid().ToString("N"));
var wall = Stopwatch.StartNew();

await using var emulator = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions
{
    DataDirectory = Path.Combine(root, "emulator"),
    Faults = new FaultSettings { PrincipalReplicationDelay = TimeSpan.Zero, GrantPropagationDelay = TimeSpan.Zero, ProvisioningDuration = TimeSpan.FromMilliseconds(20) },
});
using var http = emulator.CreateHttpClient();
var arm = ProvisioningArmClient.ForSandbox(new SandboxEndpoint(emulator.BaseUri, emulator.Certificate, emulator.DevelopmentToken));
var subscription = $"/subscriptions/{emulator.SubscriptionId}";
var registryId = $"{subscription}/resourceGroups/{Group}/providers/Microsoft.ContainerRegistry/registries/{Registry}";
await SendAsync(HttpMethod.Put, $"{subscription}/resourcegroups/{Group}", "2024-03-01", """{"location":"westeurope"}""");
await SendAsync(HttpMethod.Put, registryId, ArmApiVersions.Registries, """{"location":"westeurope","sku":{"name":"Standard"},"properties":{}}""");
while (emulator.GetInventory().Single(entry => entry.Id.Equals(registryId, StringComparison.OrdinalIgnoreCase)).ProvisioningState != "Succeeded")
{
    await Task.Delay(20);
}

emulator.PushImage(Registry, "web", "1.0");
emulator.PushImage(Registry, "web", "2.0");

var catalog = TemplateCatalog.From([TemplateLoader.Parse(Yaml, "site.yaml")]);
await using var engine = await EmbeddedEngineHost.StartAsync(
    registry => registry.AddProvisioning().AddDrift(),
    Path.Combine(root, "engine.db"),
    configureOptions: options =>
    {
        options.DataConverter = RunDataConverter.Instance;
        options.MaxConcurrentActivities = 64;
        options.MaxConcurrentOrchestrations = 256;
    },
    configureServices: services => services.AddSingleton(arm).AddSingleton(catalog));
var client = engine.Client;
var timings = new ProvisioningTimings
{
    ReadinessFirstInterval = TimeSpan.FromMilliseconds(200),
    ReadinessMaxInterval = TimeSpan.FromSeconds(1),
    OperationPollInterval = TimeSpan.FromMilliseconds(100),
    TransientFirstInterval = TimeSpan.FromMilliseconds(200),
};
var starter = new ProvisioningStarter(catalog, client, timings);
var target = new TemplateTarget(emulator.SubscriptionId, Group, "westeurope");


// 1. Deploy every workload with a real run.
var deploy = Stopwatch.StartNew();
var ids = new List<string>();
for (var i = 0; i < count; i++)
{
    ids.Add(await starter.StartAsync("site", new Dictionary<string, JsonNode?> { ["name"] = Name(i), ["image"] = $"{Registry}.azurecr.io/web:1.0", ["registryId"] = registryId }, target));
}

var failedDeploys = 0;
foreach (var id in ids)
{
    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
    var run = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: false, timeout.Token);
    failedDeploys += run.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? 0 : 1;
}

deploy.Stop();
Console.WriteLine($"deployed {count} workloads with real runs in {deploy.Elapsed.TotalSeconds:0.0} s ({failedDeploys} failed)");

// 2. Drift 50 of them, five ways.
var drifted = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
var step = count / (5 * PerKind);
var picks = Enumerable.Range(0, 5 * PerKind).Select(i => i * step + 1).ToArray();
for (var k = 0; k < picks.Length; k++)
{
    var name = Name(picks[k]);
    var groupId = $"{subscription}/resourceGroups/{Group}/providers/Microsoft.ContainerInstance/containerGroups/{name}";
    var identityId = $"{subscription}/resourceGroups/{Group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}-id";
    var way = (k / PerKind) switch
    {
        0 => "identity deleted",
        1 => "grant removed",
        2 => "image changed",
        3 => "group stopped",
        _ => "group deleted",
    };
    drifted[groupId] = way;
    switch (way)
    {
        case "identity deleted":
            await SendAsync(HttpMethod.Delete, identityId, ArmApiVersions.UserAssignedIdentities);
            break;
        case "grant removed":
            var run = await client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = RunIds.WorkloadPrefix(emulator.SubscriptionId, Group, name), FetchInputsAndOutputs = true }).FirstAsync();
            await SendAsync(HttpMethod.Delete, run.ReadOutputAs<ProvisioningResult>()!.RoleAssignmentIds[0], ArmApiVersions.RoleAssignments);
            break;
        case "image changed":
            var group = JsonNode.Parse(await SendAsync(HttpMethod.Get, groupId, ArmApiVersions.ContainerGroups))!;
            var body = new JsonObject
            {
                ["location"] = "westeurope",
                ["identity"] = new JsonObject { ["type"] = "UserAssigned", ["userAssignedIdentities"] = new JsonObject { [identityId] = new JsonObject() } },
                ["properties"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "web",
                        ["properties"] = new JsonObject { ["image"] = $"{Registry}.azurecr.io/web:2.0", ["resources"] = group["properties"]!["containers"]![0]!["properties"]!["resources"]!.DeepClone() },
                    }),
                    ["imageRegistryCredentials"] = group["properties"]!["imageRegistryCredentials"]!.DeepClone(),
                    ["osType"] = "Linux",
                },
            };
            await SendAsync(HttpMethod.Put, groupId, ArmApiVersions.ContainerGroups, body.ToJsonString());
            break;
        case "group stopped":
            await SendAsync(HttpMethod.Post, groupId + "/stop", ArmApiVersions.ContainerGroups);
            break;
        default:
            await SendAsync(HttpMethod.Delete, groupId, ArmApiVersions.ContainerGroups);
            break;
    }
}

// Let the changed and deleted groups settle, as a hand change would have long before a scheduled scan.
while (emulator.GetInventory().Any(entry => entry.ProvisioningState is "Creating" or "Updating" or "Deleting" or "Pending"))
{
    await Task.Delay(50);
}

// 3. One scan, measured, without repairing.
var before = emulator.GetRequestLog().Count;
var dry = await DriftAsync(dryRun: true);
var requests = emulator.GetRequestLog().Skip(before).ToList();
var found = dry.Findings.Select(finding => finding.WorkloadId).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
var truePositives = found.Count(drifted.ContainsKey);
var falsePositives = found.Count(id => !drifted.ContainsKey(id));
var kinds = dry.Findings.GroupBy(finding => finding.Kind.ToString()).ToDictionary(g => g.Key, g => g.Count());
Console.WriteLine($"scan: {dry.Workloads} workloads, {dry.ArmCalls} list calls ({requests.Count} requests with paging, all GET: {requests.All(r => r.Method == "GET")}), {dry.ScanSeconds:0.000} s, {truePositives}/{drifted.Count} drifted found, {falsePositives} false positives");
Console.WriteLine("findings by kind: " + string.Join(", ", kinds.Select(pair => $"{pair.Key} {pair.Value}")));

// 4. Repair.
var repairWatch = Stopwatch.StartNew();
var repaired = await DriftAsync(dryRun: false);
repairWatch.Stop();
var completed = repaired.Repairs.Count(repair => repair.Status == DriftRepair.Completed);
foreach (var failed in repaired.Repairs.Where(repair => repair.Status != DriftRepair.Completed))
{
    Console.WriteLine($"repair {failed.WorkloadId}: {failed.Status} {failed.Failure}");
}

var after = await DriftAsync(dryRun: true);
Console.WriteLine($"repairs: {completed}/{repaired.Repairs.Count} completed in {repairWatch.Elapsed.TotalSeconds:0.0} s; a scan after them finds {after.Findings.Count} findings");
Console.WriteLine(JsonSerializer.Serialize(new
{
    workloads = dry.Workloads,
    deploy_runs_failed = failedDeploys,
    deploy_seconds = Math.Round(deploy.Elapsed.TotalSeconds, 1),
    drifted = drifted.Count,
    scan_list_calls = dry.ArmCalls,
    scan_arm_requests_with_paging = requests.Count,
    scan_seconds = Math.Round(dry.ScanSeconds, 3),
    scan_desired_state_seconds = Math.Round(dry.DesiredSeconds, 3),
    scan_list_seconds = Math.Round(dry.ListSeconds, 3),
    drifted_found = truePositives,
    false_positives = falsePositives,
    repairs = repaired.Repairs.Count,
    repairs_completed = completed,
    repair_seconds = Math.Round(repairWatch.Elapsed.TotalSeconds, 1),
    findings_after_repair = after.Findings.Count,
    total_seconds = Math.Round(wall.Elapsed.TotalSeconds, 1),
}));
return completed == drifted.Count && falsePositives == 0 && truePositives == drifted.Count ? 0 : 1;

static string Name(int i) => "site-" + i.ToString("D4", CultureInfo.InvariantCulture);

async Task<DriftReport> DriftAsync(bool dryRun)
{
    if (!await DriftRepairScheduler.ScheduleAsync(client, new DriftRequest(dryRun, TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(500))))
    {
        throw new InvalidOperationException("a drift run is still going");
    }

    using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
    var run = await client.WaitForInstanceCompletionAsync(DriftRepairNames.InstanceId, getInputsAndOutputs: true, timeout.Token);
    return run.RuntimeStatus == OrchestrationRuntimeStatus.Completed
        ? run.ReadOutputAs<DriftReport>()!
        : throw new InvalidOperationException($"the drift run ended {run.RuntimeStatus}: {run.FailureDetails?.ErrorMessage}");
}

async Task<string> SendAsync(HttpMethod method, string path, string apiVersion, string? json = null)
{
    using var request = new HttpRequestMessage(method, $"{path}?api-version={apiVersion}");
    if (json is not null)
    {
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
    }

    using var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
}

internal static partial class Program
{
    private const string Yaml = """
        name: site
        parameters:
          name: { type: string }
          image: { type: string }
          registryId: { type: string }
        identity:
          name: "[concat(parameters('name'), '-id')]"
        grants:
          - role: AcrPull
            scope: "[parameters('registryId')]"
        workload:
          name: "[parameters('name')]"
          location: "[resourceGroup().location]"
          properties:
            containers:
              - name: web
                properties:
                  image: "[parameters('image')]"
                  resources: { requests: { cpu: 1, memoryInGB: 1 } }
            imageRegistryCredentials:
              - server: benchacr.azurecr.io
                identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', concat(parameters('name'), '-id'))]"
            osType: Linux
        """;
}
