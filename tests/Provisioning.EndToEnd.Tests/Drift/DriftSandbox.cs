using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Arm;
using Provisioning.Arm.Pipeline;
using Provisioning.ArmEmulator;
using Provisioning.Drift;
using Provisioning.Orchestrations;
using Provisioning.Rules;
using Provisioning.Runs;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests.Drift;

/// <summary>
/// The emulator over HTTPS and the embedded engine running the provisioning and drift orchestrations, with two
/// templates: <c>site</c> (policy repair, the default) and <c>site-report</c> (policy report). Each workload gets its
/// own name and identity, so one sandbox holds several, drifted in different ways.
/// </summary>
internal sealed class DriftSandbox : IAsyncDisposable
{
    public const string ResourceGroup = "rg-drift";
    public const string Registry = "driftacr";

    private readonly EmbeddedHost _engine;

    private DriftSandbox(ArmEmulatorServer emulator, HttpClient arm, ProvisioningArmClient client, EmbeddedHost engine, TemplateCatalog catalog)
    {
        Emulator = emulator;
        Arm = arm;
        ArmClient = client;
        _engine = engine;
        Catalog = catalog;
    }

    public ArmEmulatorServer Emulator { get; }

    public HttpClient Arm { get; }

    public ProvisioningArmClient ArmClient { get; }

    public TemplateCatalog Catalog { get; }

    public DurableTaskClient Client => _engine.Client;

    public string Subscription => $"/subscriptions/{Emulator.SubscriptionId}";

    public string RegistryId => $"{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerRegistry/registries/{Registry}";

    public string GroupId(string name) => $"{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/{name}";

    public string IdentityId(string name) => $"{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}-id";

    public static ProvisioningTimings Timings { get; } = new()
    {
        PrincipalRetryFirstInterval = TimeSpan.FromMilliseconds(200),
        PrincipalRetryTimeout = TimeSpan.FromSeconds(20),
        ReadinessFirstInterval = TimeSpan.FromMilliseconds(200),
        ReadinessMaxInterval = TimeSpan.FromSeconds(1),
        ReadinessDeadline = TimeSpan.FromSeconds(30),
        OperationPollInterval = TimeSpan.FromMilliseconds(100),
        TransientAttempts = 4,
        TransientFirstInterval = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<DriftSandbox> StartAsync(params string[] moreTemplates)
    {
        var data = Path.Combine(Path.GetTempPath(), "provisioning-drift-e2e", Guid.NewGuid().ToString("N"));
        var emulator = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions { DataDirectory = Path.Combine(data, "emulator"), Faults = ProvisioningSandbox.QuickAzure });
        var http = emulator.CreateHttpClient();
        var client = ProvisioningArmClient.ForSandbox(new SandboxEndpoint(emulator.BaseUri, emulator.Certificate, emulator.DevelopmentToken));
        var catalog = TemplateCatalog.From([TemplateLoader.Parse(SiteYaml("site", "repair"), "site.yaml"), TemplateLoader.Parse(SiteYaml("site-report", "report"), "site-report.yaml"), .. moreTemplates.Select((yaml, i) => TemplateLoader.Parse(yaml, $"more-{i}.yaml"))]);
        var engine = await EmbeddedHost.StartAsync(client, catalog, Path.Combine(data, "engine.db"));
        var sandbox = new DriftSandbox(emulator, http, client, engine, catalog);
        await sandbox.SeedAsync();
        return sandbox;
    }

    /// <summary>Provisions <paramref name="name"/> through its lane, as an HTTP request would, and waits for the run.</summary>
    public async Task<OrchestrationMetadata> ProvisionAsync(string name, string template = "site", string image = "web:1.0")
    {
        var starter = new ProvisioningStarter(Catalog, Client, Timings);
        var id = await starter.StartAsync(template, Parameters(name, image), new TemplateTarget(Emulator.SubscriptionId, ResourceGroup, "westeurope"));
        return await WaitAsync(id);
    }

    /// <summary>Provisions a template with its own parameters through its lane and waits for the run.</summary>
    public async Task<OrchestrationMetadata> ProvisionAsync(string template, Dictionary<string, JsonNode?> parameters)
    {
        var starter = new ProvisioningStarter(Catalog, Client, Timings);
        var id = await starter.StartAsync(template, parameters, new TemplateTarget(Emulator.SubscriptionId, ResourceGroup, "westeurope"));
        return await WaitAsync(id);
    }

    /// <summary>Creates a managed environment for container apps, as someone would before provisioning apps into it.</summary>
    public async Task<string> CreateEnvironmentAsync(string name)
    {
        var id = $"{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.App/managedEnvironments/{name}";
        using (var response = await SendAsync(HttpMethod.Put, id, ArmApiVersions.ContainerApps, """{"location":"westeurope","properties":{"zoneRedundant":false}}"""))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        await WaitUntilSettledAsync(id);
        return id;
    }

    /// <summary>
    /// The <c>identity</c> a PUT sends back for <paramref name="resource"/> as read (a portal edit): its user-assigned
    /// identities, each with an empty body, as ARM wants them on a write.
    /// </summary>
    public static JsonObject UserAssignedIdentityOf(JsonNode resource) => new()
    {
        ["type"] = "UserAssigned",
        ["userAssignedIdentities"] = new JsonObject(resource["identity"]!["userAssignedIdentities"]!.AsObject().Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)new JsonObject()))),
    };

    /// <summary>Creates a key vault in access-policy or RBAC mode (the run never creates one).</summary>
    public async Task<string> CreateVaultAsync(string name, bool rbac)
    {
        var id = $"{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.KeyVault/vaults/{name}";
        var body = new JsonObject
        {
            ["location"] = "westeurope",
            ["properties"] = new JsonObject
            {
                ["tenantId"] = Emulator.TenantId,
                ["sku"] = new JsonObject { ["family"] = "A", ["name"] = "standard" },
                ["accessPolicies"] = new JsonArray(),
                ["enableRbacAuthorization"] = rbac,
            },
        };
        using var response = await SendAsync(HttpMethod.Put, id, ArmApiVersions.KeyVaults, body.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>Waits until a resource changed by hand is no longer being created or updated, as it would be long before a scheduled scan.</summary>
    public async Task WaitUntilSettledAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Emulator.GetInventory().SingleOrDefault(entry => entry.Id.Equals(id, StringComparison.OrdinalIgnoreCase))?.ProvisioningState is "Creating" or "Updating" or "Pending" or "InProgress" or "Accepted")
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public Dictionary<string, JsonNode?> Parameters(string name, string image = "web:1.0") => new()
    {
        ["name"] = name,
        ["image"] = $"{Registry}.azurecr.io/{image}",
        ["registryId"] = RegistryId,
    };

    public async Task<OrchestrationMetadata> WaitAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Starts a drift run (unless one is going) and waits for its report.</summary>
    public async Task<DriftReport> DriftAsync(bool dryRun = false)
    {
        Assert.True(await DriftRepairScheduler.ScheduleAsync(Client, Request(dryRun)));
        var done = await WaitAsync(DriftRepairNames.InstanceId);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done.ReadOutputAs<DriftReport>()!;
    }

    public static DriftRequest Request(bool dryRun = false, TimeSpan? poll = null) =>
        new(dryRun, RepairTimeout: TimeSpan.FromSeconds(90), PollInterval: poll ?? TimeSpan.FromMilliseconds(200));

    /// <summary>The provisioning runs of a workload's lane.</summary>
    public async Task<IReadOnlyList<OrchestrationMetadata>> LaneAsync(string name)
    {
        var runs = new List<OrchestrationMetadata>();
        var prefix = RunIds.WorkloadPrefix(Emulator.SubscriptionId, ResourceGroup, name);
        await foreach (var run in Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = prefix }))
        {
            runs.Add(run);
        }

        return runs;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string apiVersion, string? json = null)
    {
        using var request = new HttpRequestMessage(method, $"{path}?api-version={apiVersion}");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Arm.SendAsync(request);
    }

    public async Task<JsonObject> GetAsync(string path, string apiVersion)
    {
        using var response = await SendAsync(HttpMethod.Get, path, apiVersion);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task WaitUntilGoneAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Emulator.GetInventory().Any(entry => entry.Id.Equals(id, StringComparison.OrdinalIgnoreCase)))
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        Arm.Dispose();
        await Emulator.DisposeAsync();
    }

    private async Task SeedAsync()
    {
        using (var group = await SendAsync(HttpMethod.Put, $"{Subscription}/resourcegroups/{ResourceGroup}", "2024-03-01", """{"location":"westeurope"}"""))
        {
            Assert.True(group.IsSuccessStatusCode, await group.Content.ReadAsStringAsync());
        }

        using (var registry = await SendAsync(HttpMethod.Put, RegistryId, "2025-11-01", """{"location":"westeurope","sku":{"name":"Standard"},"properties":{}}"""))
        {
            Assert.True(registry.IsSuccessStatusCode, await registry.Content.ReadAsStringAsync());
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Emulator.GetInventory().Single(entry => entry.Id.Equals(RegistryId, StringComparison.OrdinalIgnoreCase)).ProvisioningState != "Succeeded")
        {
            await Task.Delay(50, timeout.Token);
        }

        Emulator.PushImage(Registry, "web", "1.0");
        Emulator.PushImage(Registry, "web", "2.0");
    }

    /// <summary>A container group pulling with its own user-assigned identity; the policy in the <c>drift</c> field.</summary>
    public static string SiteYaml(string templateName, string policy) => $$"""
        name: {{templateName}}
        drift: {{policy}}
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
                  ports: [{ port: 80 }]
                  resources: { requests: { cpu: 1, memoryInGB: 1 } }
            imageRegistryCredentials:
              - server: {{Registry}}.azurecr.io
                identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', concat(parameters('name'), '-id'))]"
            osType: Linux
        """;

    /// <summary>The embedded engine with the provisioning and drift orchestrations, and what their activities need.</summary>
    private sealed class EmbeddedHost : IAsyncDisposable
    {
        private readonly Provisioning.Durable.Embedded.EmbeddedEngineHost _host;

        private EmbeddedHost(Provisioning.Durable.Embedded.EmbeddedEngineHost host) => _host = host;

        public DurableTaskClient Client => _host.Client;

        public static async Task<EmbeddedHost> StartAsync(ProvisioningArmClient client, TemplateCatalog catalog, string databasePath) =>
            new(await Provisioning.Durable.Embedded.EmbeddedEngineHost.StartAsync(
                registry => registry.AddProvisioning().AddDrift(),
                databasePath,
                configureOptions: options => options.DataConverter = RunDataConverter.Instance,
                configureServices: services => services.AddSingleton(client).AddSingleton(catalog)));

        public ValueTask DisposeAsync() => _host.DisposeAsync();
    }
}
