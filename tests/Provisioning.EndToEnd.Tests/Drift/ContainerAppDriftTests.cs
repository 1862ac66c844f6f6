using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Provisioning.Arm;
using Provisioning.Drift;
using Provisioning.Orchestrations;

namespace Provisioning.EndToEnd.Tests.Drift;

/// <summary>
/// Container apps in the subscription's one list of apps: an image changed by hand, a revision that failed, another
/// identity and registry credential, a deleted app — each found naming expected and actual, and repaired by a run in
/// the app's lane; an app with a system-assigned identity (first created on the public placeholder) is not drift.
/// </summary>
public sealed class ContainerAppDriftTests
{
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
                - server: driftacr.azurecr.io
                  identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', concat(parameters('name'), '-id'))]"
            template:
              containers:
                - name: web
                  image: "[parameters('image')]"
                  resources: { cpu: 0.5, memory: 1Gi }
        """;

    private const string SystemAppYaml = """
        name: app-system
        parameters:
          name: { type: string }
          image: { type: string }
          registryId: { type: string }
          environmentId: { type: string }
        identity: { type: SystemAssigned }
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
                - server: driftacr.azurecr.io
                  identity: system
            template:
              containers:
                - name: web
                  image: "[parameters('image')]"
                  resources: { cpu: 0.5, memory: 1Gi }
        """;

    [Fact]
    public async Task Container_app_drift_is_found_in_one_list_naming_expected_and_actual_and_repaired_by_a_run_in_the_lane()
    {
        await using var sandbox = await DriftSandbox.StartAsync(AppYaml, SystemAppYaml);
        var environmentId = await sandbox.CreateEnvironmentAsync("drift-env");
        string[] names = ["app-intact", "app-image", "app-broken", "app-credential", "app-deleted"];
        foreach (var name in names)
        {
            var run = await sandbox.ProvisionAsync("app", Parameters(sandbox, name, environmentId));
            Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        }

        var system = await sandbox.ProvisionAsync("app-system", Parameters(sandbox, "app-system", environmentId));
        Assert.True(system.RuntimeStatus == OrchestrationRuntimeStatus.Completed, system.FailureDetails?.ErrorMessage);

        // Nothing changed yet: in particular the system-assigned app, created on the placeholder first, runs the body's image.
        var clean = await sandbox.DriftAsync(dryRun: true);
        Assert.True(clean.Findings.Count == 0, string.Join("; ", clean.Findings));
        Assert.Equal(names.Length + 1, clean.Workloads);

        // Drift, by hand.
        await PutChangedAsync(sandbox, "app-image", body => body["properties"]!["template"]!["containers"]![0]!["image"] = "driftacr.azurecr.io/web:2.0");
        await PutChangedAsync(sandbox, "app-broken", body => body["properties"]!["template"]!["containers"]![0]!["image"] = "driftacr.azurecr.io/web:9.9");
        await PutChangedAsync(sandbox, "app-credential", body =>
        {
            body["identity"]!["userAssignedIdentities"] = new JsonObject { [sandbox.IdentityId("app-intact")] = new JsonObject() };
            body["properties"]!["configuration"]!["registries"]![0]!["identity"] = sandbox.IdentityId("app-intact");
        });
        using (var deleted = await sandbox.SendAsync(HttpMethod.Delete, AppId(sandbox, "app-deleted"), ArmApiVersions.ContainerApps))
        {
            Assert.True(deleted.IsSuccessStatusCode);
        }

        await sandbox.WaitUntilGoneAsync(AppId(sandbox, "app-deleted"));
        var before = sandbox.Emulator.GetRequestLog().Count;

        var report = await sandbox.DriftAsync();

        // One list of apps for the whole subscription (beside identities and role assignments), whatever the number of apps.
        Assert.Single(sandbox.Emulator.GetRequestLog().Skip(before), request => request.Method == "GET" && request.Path.EndsWith("/providers/Microsoft.App/containerApps", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(3, report.ArmCalls);
        Assert.DoesNotContain(report.Findings, finding => finding.WorkloadId == AppId(sandbox, "app-intact") || finding.WorkloadId == AppId(sandbox, "app-system"));
        var image = Assert.Single(report.Findings, finding => finding.WorkloadId == AppId(sandbox, "app-image"));
        Assert.Equal(
            (DriftKind.WorkloadChanged, "properties.template.containers[web].image", "driftacr.azurecr.io/web:1.0", "driftacr.azurecr.io/web:2.0"),
            (image.Kind, image.Property, image.Expected, image.Actual));
        var broken = report.Findings.Where(finding => finding.WorkloadId == AppId(sandbox, "app-broken")).ToList();
        Assert.Contains(broken, finding => finding.Kind == DriftKind.WorkloadFailed && finding.Property == "properties.provisioningState" && finding.Actual == "Failed");
        Assert.Contains(broken, finding => finding.Kind == DriftKind.WorkloadChanged && finding.Actual == "driftacr.azurecr.io/web:9.9");
        var registry = Assert.Single(report.Findings, finding => finding.WorkloadId == AppId(sandbox, "app-credential") && finding.Property == "properties.configuration.registries");
        Assert.Contains("app-credential-id", registry.Expected, StringComparison.Ordinal);
        Assert.Contains("app-intact-id", registry.Actual, StringComparison.Ordinal);
        var identity = Assert.Single(report.Findings, finding => finding.WorkloadId == AppId(sandbox, "app-credential") && finding.Property == "identity");
        Assert.Equal(DriftKind.WorkloadChanged, identity.Kind);
        Assert.Contains("app-intact-id", identity.Actual, StringComparison.Ordinal);
        var gone = Assert.Single(report.Findings, finding => finding.WorkloadId == AppId(sandbox, "app-deleted"));
        Assert.Equal((DriftKind.WorkloadDeleted, AppId(sandbox, "app-deleted"), "not found"), (gone.Kind, gone.ResourceId, gone.Actual));

        // Each repaired by a ProvisionWorkload run in the app's lane.
        Assert.Equal(4, report.Repairs.Count);
        foreach (var repair in report.Repairs)
        {
            Assert.True(repair.Status == DriftRepair.Completed, $"{repair.WorkloadId}: {repair.Status} {repair.Failure}");
            var lane = await sandbox.LaneAsync(repair.WorkloadId.Split('/')[^1]);
            Assert.Contains(lane, run => run.InstanceId == repair.RunId && run.Name == nameof(ProvisionWorkload));
        }

        var again = await sandbox.DriftAsync(dryRun: true);
        Assert.True(again.Findings.Count == 0, string.Join("; ", again.Findings));
        var repaired = await sandbox.GetAsync(AppId(sandbox, "app-image"), ArmApiVersions.ContainerApps);
        Assert.Equal("driftacr.azurecr.io/web:1.0", repaired["properties"]!["template"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    private static string AppId(DriftSandbox sandbox, string name) =>
        $"{sandbox.Subscription}/resourceGroups/{DriftSandbox.ResourceGroup}/providers/Microsoft.App/containerApps/{name}";

    private static Dictionary<string, JsonNode?> Parameters(DriftSandbox sandbox, string name, string environmentId)
    {
        var parameters = sandbox.Parameters(name);
        parameters["environmentId"] = environmentId;
        return parameters;
    }

    // A PUT as the portal sends it: the app's own identity, registries and containers, with one change.
    private static async Task PutChangedAsync(DriftSandbox sandbox, string name, Action<JsonObject> change)
    {
        var app = await sandbox.GetAsync(AppId(sandbox, name), ArmApiVersions.ContainerApps);
        var properties = app["properties"]!.AsObject();
        var body = new JsonObject
        {
            ["location"] = app["location"]!.DeepClone(),
            ["identity"] = DriftSandbox.UserAssignedIdentityOf(app),
            ["properties"] = new JsonObject
            {
                ["managedEnvironmentId"] = properties["managedEnvironmentId"]!.DeepClone(),
                ["configuration"] = new JsonObject { ["registries"] = properties["configuration"]!["registries"]!.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["containers"] = new JsonArray(properties["template"]!["containers"]!.AsArray().Select(container => (JsonNode?)new JsonObject
                    {
                        ["name"] = container!["name"]!.DeepClone(),
                        ["image"] = container["image"]!.DeepClone(),
                        ["resources"] = container["resources"]!.DeepClone(),
                    }).ToArray()),
                },
            },
        };
        change(body);
        using var response = await sandbox.SendAsync(HttpMethod.Put, AppId(sandbox, name), ArmApiVersions.ContainerApps, body.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        await sandbox.WaitUntilSettledAsync(AppId(sandbox, name));
    }
}
