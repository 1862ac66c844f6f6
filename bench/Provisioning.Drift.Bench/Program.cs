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
// ProvisionWorkload run (identity, AcrPull grant, and a container group — one in ten a container app instead, another
// one in ten a group whose identity also gets secrets from a key vault's access policy) against the emulator, with
// Azure's delays set to zero so the runs finish fast. Then 50 are drifted by hand through ARM, in five ways (10 each):
// identity deleted, grant removed or vault access removed (5 each), image changed (5 groups, 5 apps), group stopped,
// group deleted. A dry-run scan is measured (ARM requests from the
// emulator's request log, scan time from the report); then a repairing scan runs and its repairs are followed.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
const int PerKind = 10;
const string Group = "rg-drift-bench";
const string Registry = "benchacr";
const string Vault = "benchkv";
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
var environmentId = $"{subscription}/resourceGroups/{Group}/providers/Microsoft.App/managedEnvironments/bench-env";
await SendAsync(HttpMethod.Put, environmentId, ArmApiVersions.ContainerApps, """{"location":"westeurope","properties":{"zoneRedundant":false}}""");
while (emulator.GetInventory().Single(entry => entry.Id.Equals(environmentId, StringComparison.OrdinalIgnoreCase)).ProvisioningState != "Succeeded")
{
    await Task.Delay(20);
}

var vaultId = $"{subscription}/resourceGroups/{Group}/providers/Microsoft.KeyVault/vaults/{Vault}";
await SendAsync(HttpMethod.Put, vaultId, ArmApiVersions.KeyVaults, $$$"""{"location":"westeurope","properties":{"tenantId":"{{{emulator.TenantId}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[]}}""");

var catalog = TemplateCatalog.From([TemplateLoader.Parse(Yaml, "site.yaml"), TemplateLoader.Parse(VaultYaml, "site-kv.yaml"), TemplateLoader.Parse(AppYaml, "app.yaml")]);
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
    var parameters = new Dictionary<string, JsonNode?> { ["name"] = Name(i), ["image"] = $"{Registry}.azurecr.io/web:1.0", ["registryId"] = registryId };
    var template = TemplateOf(i);
    if (template == "app")
    {
        parameters["environmentId"] = environmentId;
    }
    else if (template == "site-kv")
    {
        parameters["vaultId"] = vaultId;
    }

    ids.Add(await starter.StartAsync(template, parameters, target));
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
if (count < 500)
{
    throw new ArgumentException($"{count} workloads: the bench drifts 50 spread over at least 500 (the default is 1,000).");
}

// A multiple of 10, so each pick's offset picks its template (see TemplateOf).
var step = count / (5 * PerKind) / 10 * 10;
for (var k = 0; k < 5 * PerKind; k++)
{
    var way = (k / PerKind) switch
    {
        0 => "identity deleted",
        1 => k % 2 == 0 ? "grant removed" : "vault access removed",
        2 => k % 2 == 0 ? "image changed" : "app image changed",
        3 => "group stopped",
        _ => "group deleted",
    };

    // A workload of the template the way needs: step is a multiple of 10, so +0 is an app, +5 a vault user, +1 a plain group.
    var name = Name(k * step + way switch { "app image changed" => 0, "vault access removed" => 5, _ => 1 });
    var groupId = $"{subscription}/resourceGroups/{Group}/providers/Microsoft.ContainerInstance/containerGroups/{name}";
    var appId = $"{subscription}/resourceGroups/{Group}/providers/Microsoft.App/containerApps/{name}";
    var identityId = $"{subscription}/resourceGroups/{Group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}-id";
    drifted[way == "app image changed" ? appId : groupId] = way;
    switch (way)
    {
        case "vault access removed":
            var principal = (await client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = RunIds.WorkloadPrefix(emulator.SubscriptionId, Group, name), FetchInputsAndOutputs = true }).FirstAsync())
                .ReadOutputAs<ProvisioningResult>()!.PrincipalId!;
            await arm.KeyVaults.RemoveAccessPolicyAsync(Provisioning.Arm.Resources.ArmResourceId.Parse(vaultId), emulator.TenantId, principal, ["get"], CancellationToken.None);
            break;
        case "app image changed":
            var app = JsonNode.Parse(await SendAsync(HttpMethod.Get, appId, ArmApiVersions.ContainerApps))!;
            var appBody = new JsonObject
            {
                ["location"] = "westeurope",
                ["identity"] = new JsonObject { ["type"] = "UserAssigned", ["userAssignedIdentities"] = new JsonObject { [identityId] = new JsonObject() } },
                ["properties"] = new JsonObject
                {
                    ["managedEnvironmentId"] = environmentId,
                    ["configuration"] = new JsonObject { ["registries"] = app["properties"]!["configuration"]!["registries"]!.DeepClone() },
                    ["template"] = new JsonObject
                    {
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "web",
                            ["image"] = $"{Registry}.azurecr.io/web:2.0",
                            ["resources"] = app["properties"]!["template"]!["containers"]![0]!["resources"]!.DeepClone(),
                        }),
                    },
                },
            };
            await SendAsync(HttpMethod.Put, appId, ArmApiVersions.ContainerApps, appBody.ToJsonString());
            break;
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
while (emulator.GetInventory().Any(entry => entry.ProvisioningState is "Creating" or "Updating" or "Deleting" or "Pending" or "InProgress"))
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

// One workload in ten is a container app, another one in ten a container group with vault access; the rest plain groups.
static string TemplateOf(int i) => (i % 10) switch { 0 => "app", 5 => "site-kv", _ => "site" };

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

    // The site whose identity also reads secrets from the vault (an access-policy entry per workload).
    private static readonly string VaultYaml = Yaml
        .Replace("name: site\n", "name: site-kv\n", StringComparison.Ordinal)
        .Replace("  registryId: { type: string }\n", "  registryId: { type: string }\n  vaultId: { type: string }\n", StringComparison.Ordinal)
        .Replace("  name: \"[parameters('name')]\"\n", "  name: \"[parameters('name')]\"\n  keyVault: { id: \"[parameters('vaultId')]\", secrets: [get, list] }\n", StringComparison.Ordinal);

    private const string AppYaml = """
        name: app
        parameters:
          name: { type: string }
          image: { type: string }
          registryId: { type: string }
          environmentId: { type: string }
        identity:
          name: "[concat(parameters('name'), '-id')]"
        grants:
          - role: AcrPull
            scope: "[parameters('registryId')]"
        workload:
          type: Microsoft.App/containerApps
          name: "[parameters('name')]"
          location: "[resourceGroup().location]"
          properties:
            managedEnvironmentId: "[parameters('environmentId')]"
            configuration:
              registries:
                - server: benchacr.azurecr.io
                  identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', concat(parameters('name'), '-id'))]"
            template:
              containers:
                - name: web
                  image: "[parameters('image')]"
                  resources: { cpu: 0.5, memory: 1Gi }
        """;
}
