using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Arm;
using Provisioning.Arm.Pipeline;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Durable.Embedded;
using Provisioning.Orchestrations;
using Provisioning.Runs;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.EndToEnd.Tests;

/// <summary>
/// The product's parts wired as in the sandbox: the ARM emulator over HTTPS (a resource group, a registry with an
/// image), the ARM client trusting exactly its certificate, and the embedded engine on a SQLite file running the
/// provisioning orchestration. Real time, with Azure's delays shortened so a test takes seconds.
/// </summary>
internal sealed class ProvisioningSandbox : IAsyncDisposable
{
    public const string ResourceGroup = "rg-e2e";
    public const string Registry = "myregistry";
    public const string Image = "myregistry.azurecr.io/web:1.0";

    private readonly string _databasePath;
    private EmbeddedEngineHost _engine;

    private ProvisioningSandbox(ArmEmulatorServer emulator, HttpClient arm, ProvisioningArmClient client, EmbeddedEngineHost engine, string databasePath)
    {
        Emulator = emulator;
        Arm = arm;
        ArmClient = client;
        _engine = engine;
        _databasePath = databasePath;
    }

    public ArmEmulatorServer Emulator { get; }

    /// <summary>A plain HttpClient for seeding and checking the emulator, independent of the product's client.</summary>
    public HttpClient Arm { get; }

    public ProvisioningArmClient ArmClient { get; }

    public DurableTaskClient Client => _engine.Client;

    public string Subscription => $"/subscriptions/{Emulator.SubscriptionId}";

    public string RegistryId => $"{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerRegistry/registries/{Registry}";

    /// <summary>An Azure without replication or propagation delays whose deployments take 100 ms.</summary>
    public static FaultSettings QuickAzure { get; } = new()
    {
        PrincipalReplicationDelay = TimeSpan.Zero,
        GrantPropagationDelay = TimeSpan.Zero,
        ProvisioningDuration = TimeSpan.FromMilliseconds(100),
    };

    public static ProvisioningTimings FastTimings { get; } = new()
    {
        PrincipalRetryFirstInterval = TimeSpan.FromMilliseconds(200),
        PrincipalRetryTimeout = TimeSpan.FromSeconds(20),
        ReadinessFirstInterval = TimeSpan.FromMilliseconds(300),
        ReadinessMaxInterval = TimeSpan.FromSeconds(1),
        ReadinessDeadline = TimeSpan.FromSeconds(30),
        OperationPollInterval = TimeSpan.FromMilliseconds(200),
        TransientAttempts = 4,
        TransientFirstInterval = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<ProvisioningSandbox> StartAsync(FaultSettings faults)
    {
        var data = Path.Combine(Path.GetTempPath(), "provisioning-e2e", Guid.NewGuid().ToString("N"));
        // Seeding is not under test: it runs without the injected failures and delays, which are switched on after it.
        var emulator = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions
        {
            DataDirectory = Path.Combine(data, "emulator"),
            Faults = faults with { TransientFailureRate = 0, Throttling = new ThrottlingSettings(), ProvisioningDuration = TimeSpan.FromMilliseconds(100) },
        });
        var http = emulator.CreateHttpClient();
        var client = ProvisioningArmClient.ForSandbox(new SandboxEndpoint(emulator.BaseUri, emulator.Certificate, emulator.DevelopmentToken));
        var databasePath = Path.Combine(data, "engine.db");
        var engine = await StartEngineAsync(client, databasePath);
        var sandbox = new ProvisioningSandbox(emulator, http, client, engine, databasePath);
        await sandbox.SeedAsync();
        emulator.Faults.Set(faults);
        return sandbox;
    }

    /// <summary>Stops the engine abruptly (as a crash would leave the database) and starts a new one on the same file.</summary>
    public async Task RestartEngineAsync()
    {
        await _engine.DisposeAsync();
        _engine = await StartEngineAsync(ArmClient, _databasePath);
    }

    public ProvisioningInput Input(string image = Image, string identityName = "web-puller", ProvisioningTimings? timings = null, string? templateYaml = null)
    {
        var template = TemplateLoader.Parse(templateYaml ?? TemplateYaml, "web.yaml");
        var resolved = template.Bind(
            new Dictionary<string, JsonNode?>
            {
                ["image"] = image,
                ["registryId"] = RegistryId,
                ["identityName"] = identityName,
            },
            new TemplateTarget(Emulator.SubscriptionId, ResourceGroup, "westeurope"));
        return new ProvisioningInput(resolved, timings ?? FastTimings);
    }

    public async Task<OrchestrationMetadata> RunAsync(ProvisioningInput input, string? instanceId = null)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(nameof(ProvisionWorkload), input, new StartOrchestrationOptions(instanceId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        return await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Every resource id the emulator holds, sorted (role definitions are built in and not listed as resources).</summary>
    public IReadOnlyList<string> Inventory()
        => Emulator.GetInventory().Select(entry => entry.Id.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList();

    public async Task<HttpResponseMessage> PutAsync(string path, string apiVersion, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{path}?api-version={apiVersion}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return await Arm.SendAsync(request);
    }

    /// <summary>Creates a key vault in access-policy or RBAC mode (a run never creates one); returns its id.</summary>
    public async Task<string> CreateVaultAsync(string name, bool rbac)
    {
        var id = $"{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.KeyVault/vaults/{name}";
        var body = $$$$"""
            {"location":"westeurope","properties":{"tenantId":"{{{{Emulator.TenantId}}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[],"enableRbacAuthorization":{{{{(rbac ? "true" : "false")}}}}}}
            """;
        using var response = await PutAsync(id, ArmApiVersions.KeyVaults, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>Reads a key vault through the product's client.</summary>
    public async Task<Provisioning.Arm.KeyVault.KeyVault> ReadVaultAsync(string vaultId) =>
        (await ArmClient.KeyVaults.GetAsync(Provisioning.Arm.Resources.ArmResourceId.Parse(vaultId), CancellationToken.None))!;

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        Arm.Dispose();
        await Emulator.DisposeAsync();
    }

    private static async Task<EmbeddedEngineHost> StartEngineAsync(ProvisioningArmClient client, string databasePath)
        => await EmbeddedEngineHost.StartAsync(
            RegisterProvisioning,
            databasePath,
            configureOptions: options => options.DataConverter = RunDataConverter.Instance,
            configureServices: services => services.AddSingleton(client));

    private static void RegisterProvisioning(DurableTaskRegistry registry) => registry.AddProvisioning();

    private async Task SeedAsync()
    {
        using (var group = await PutAsync($"{Subscription}/resourcegroups/{ResourceGroup}", "2024-03-01", """{"location":"westeurope"}"""))
        {
            Assert.True(group.IsSuccessStatusCode, await group.Content.ReadAsStringAsync());
        }

        using (var registry = await PutAsync(RegistryId, "2025-11-01", """{"location":"westeurope","sku":{"name":"Standard"},"properties":{}}"""))
        {
            Assert.True(registry.IsSuccessStatusCode, await registry.Content.ReadAsStringAsync());
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Emulator.GetInventory().Single(entry => entry.Id.Equals(RegistryId, StringComparison.OrdinalIgnoreCase)).ProvisioningState != "Succeeded")
        {
            await Task.Delay(50, timeout.Token);
        }

        Emulator.PushImage(Registry, "web", "1.0");
    }

    /// <summary>Two containers (the app and a sidecar) in a VNet subnet with a private IP.</summary>
    public const string PrivateMultiContainerYaml = """
        name: api
        parameters:
          image: { type: string }
          registryId: { type: string }
          identityName: { type: string, defaultValue: api-puller }
        identity:
          name: "[parameters('identityName')]"
        grants:
          - role: AcrPull
            scope: "[parameters('registryId')]"
        workload:
          name: private-api
          location: "[resourceGroup().location]"
          properties:
            containers:
              - name: api
                properties:
                  image: "[parameters('image')]"
                  ports: [{ port: 8080 }]
                  environmentVariables: [{ name: API_KEY, secureValue: not-in-logs }]
                  resources: { requests: { cpu: 1, memoryInGB: 1 } }
              - name: sidecar
                properties:
                  image: "[parameters('image')]"
                  command: [ "/bin/sh", "-c", "sleep infinity" ]
                  resources: { requests: { cpu: 0.5, memoryInGB: 0.5 } }
            imageRegistryCredentials:
              - server: myregistry.azurecr.io
                identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]"
            ipAddress:
              type: Private
              ports: [{ port: 8080 }]
            subnetIds:
              - id: "[format('{0}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci', resourceGroup().id)]"
                name: aci
            osType: Linux
        """;

    public const string TemplateYaml = """
        name: web
        parameters:
          image: { type: string }
          registryId: { type: string }
          identityName: { type: string, defaultValue: web-puller }
        identity:
          name: "[parameters('identityName')]"
        grants:
          - role: AcrPull
            scope: "[parameters('registryId')]"
        workload:
          name: web
          location: "[resourceGroup().location]"
          properties:
            containers:
              - name: web
                properties:
                  image: "[parameters('image')]"
                  ports: [{ port: 80 }]
                  resources: { requests: { cpu: 1, memoryInGB: 1.5 } }
            imageRegistryCredentials:
              - server: myregistry.azurecr.io
                identity: "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]"
            ipAddress:
              type: Public
              dnsNameLabel: web-e2e
              ports: [{ port: 80, protocol: TCP }]
            osType: Linux
        """;
}
