using System.Net;
using System.Text.Json.Nodes;
using Azure.Bicep.Types.Az;

namespace Provisioning.ArmEmulator.Tests.ApiVersions;

/// <summary>
/// What "served at an api-version" means for each emulated type: a body derived for that version from a seed (see
/// <see cref="VersionedBody"/>) is PUT at that version, its long-running operation ends <c>Succeeded</c>, and a GET at
/// that version reads it back; read-only and action types are exercised the way a client uses them. The shared parents
/// (resource group, registry, task, environment, vault, container group) are made once, at the newest version.
/// </summary>
internal sealed class VersionScenarios
{
    private const string Location = VersionSeeds.Location;
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    private static readonly Lazy<AzTypeLoader> Loader = new(() => new AzTypeLoader());
    private static readonly Lazy<IReadOnlyDictionary<string, Azure.Bicep.Types.CrossFileTypeReference>> Index =
        new(() => new Dictionary<string, Azure.Bicep.Types.CrossFileTypeReference>(Loader.Value.LoadTypeIndex().Resources, StringComparer.OrdinalIgnoreCase));

    private readonly SpecClient _client;
    private readonly ArmEmulatorServer _server;
    private readonly Uri _webhook;
    private readonly Dictionary<string, Func<string, Task>> _scenarios;
    private readonly string _sub;
    private readonly string _group;
    private string _registry = string.Empty;
    private string _taskId = string.Empty;
    private string _environment = string.Empty;
    private string _vault = string.Empty;
    private string _logGroup = string.Empty;

    public VersionScenarios(SpecClient client, ArmEmulatorServer server, Uri webhook)
    {
        _client = client;
        _server = server;
        _webhook = webhook;
        _sub = $"/subscriptions/{server.SubscriptionId}";
        _group = $"{_sub}/resourceGroups/versions";
        _scenarios = new(StringComparer.OrdinalIgnoreCase)
        {
            ["Microsoft.Resources/resourceGroups"] = ResourceGroupAsync,
            ["Microsoft.ManagedIdentity/userAssignedIdentities"] = v => PutAndGetAsync("Microsoft.ManagedIdentity/userAssignedIdentities", v, $"{_group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-{v}", new JsonObject { ["location"] = Location }),
            ["Microsoft.Authorization/roleDefinitions"] = RoleDefinitionsAsync,
            ["Microsoft.Authorization/roleAssignments"] = RoleAssignmentAsync,
            ["Microsoft.ContainerRegistry/registries"] = RegistryAsync,
            ["Microsoft.ContainerRegistry/registries/tasks"] = TaskAsync,
            ["Microsoft.ContainerRegistry/registries/runs"] = RunAsync,
            ["Microsoft.ContainerInstance/containerGroups"] = ContainerGroupAsync,
            ["Microsoft.ContainerInstance/containerGroups/containers"] = ContainerLogsAsync,
            ["Microsoft.App/managedEnvironments"] = v => PutAndGetAsync("Microsoft.App/managedEnvironments", v, $"{_group}/providers/Microsoft.App/managedEnvironments/env-{v}", new JsonObject { ["location"] = Location, ["properties"] = new JsonObject() }),
            ["Microsoft.App/containerApps"] = ContainerAppAsync,
            ["Microsoft.App/containerApps/revisions"] = RevisionsAsync,
            ["Microsoft.Compute/virtualMachines"] = v => PutAndGetAsync("Microsoft.Compute/virtualMachines", v, $"{_group}/providers/Microsoft.Compute/virtualMachines/vm-{v}", VersionSeeds.VirtualMachine()),
            ["Microsoft.KeyVault/vaults"] = VaultAsync,
            ["Microsoft.KeyVault/vaults/accessPolicies"] = AccessPolicyAsync,
            ["Microsoft.EventGrid/eventSubscriptions"] = EventSubscriptionAsync,
        };
    }

    /// <summary>Whether the type has a scenario (a type the emulator adds without one fails the coverage test).</summary>
    public bool Covers(string type) => _scenarios.ContainsKey(type);

    /// <summary>Every api-version <c>Azure.Bicep.Types.Az</c> lists for a type, newest first.</summary>
    public static IReadOnlyList<string> Published(string type) =>
        [.. Index.Value.Keys.Where(k => k.StartsWith(type + "@", StringComparison.OrdinalIgnoreCase)).Select(k => k[(type.Length + 1)..]).OrderDescending(StringComparer.Ordinal)];

    /// <summary>Runs the scenario of a type at an api-version; throws with the reason when it is not served.</summary>
    public Task RunAsync(string type, string apiVersion) => _scenarios[type](apiVersion);

    /// <summary>The shared parents, made at the newest api-version of their types.</summary>
    public async Task SetUpAsync()
    {
        await Succeeds(_client.PutAsync(_group, Newest("Microsoft.Resources/resourceGroups"), new JsonObject { ["location"] = Location }));
        await Succeeds(_client.PutAsync($"{_sub}/resourceGroups/versions-events", Newest("Microsoft.Resources/resourceGroups"), new JsonObject { ["location"] = Location }));

        _registry = $"{_group}/providers/Microsoft.ContainerRegistry/registries/versionsacr";
        await Succeeds(_client.PutAsync(_registry, Newest("Microsoft.ContainerRegistry/registries"), VersionSeeds.Registry()));
        _taskId = $"{_registry}/tasks/shared-task";
        await Succeeds(_client.PutAsync(_taskId, Newest("Microsoft.ContainerRegistry/registries/tasks"), VersionSeeds.Task()));

        _environment = $"{_group}/providers/Microsoft.App/managedEnvironments/shared-env";
        await Succeeds(_client.PutAsync(_environment, Newest("Microsoft.App/managedEnvironments"), new JsonObject { ["location"] = Location, ["properties"] = new JsonObject() }));

        _vault = $"{_group}/providers/Microsoft.KeyVault/vaults/versions-kv";
        await Succeeds(_client.PutAsync(_vault, Newest("Microsoft.KeyVault/vaults"), VersionSeeds.Vault(_server.TenantId)));

        _logGroup = $"{_group}/providers/Microsoft.ContainerInstance/containerGroups/shared-logs";
        await Succeeds(_client.PutAsync(_logGroup, Newest("Microsoft.ContainerInstance/containerGroups"), VersionSeeds.ContainerGroup()));
    }

    private static string Newest(string type) => Published(type)[0];

    private static async Task Succeeds(Task<string> operation)
    {
        var outcome = await operation;
        if (outcome != "Succeeded")
        {
            throw new InvalidOperationException($"The operation ended {outcome}.");
        }
    }

    /// <summary>PUT the seed as that version accepts it, follow it to Succeeded, GET it back at that version.</summary>
    private async Task<JsonObject> PutAndGetAsync(string type, string apiVersion, string path, JsonObject seed)
    {
        var schema = Loader.Value.LoadResourceType(Index.Value[$"{type}@{apiVersion}"]);
        var body = VersionedBody.Derive(schema, seed);
        var outcome = await _client.PutAsync(path, apiVersion, body);
        if (outcome != "Succeeded")
        {
            throw new InvalidOperationException($"PUT {path} at {apiVersion} ended {outcome}; body {body.ToJsonString()}");
        }

        var read = await _client.GetAsync(path, apiVersion);
        if (!string.Equals(read["id"]?.GetValue<string>(), path, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"GET {path} at {apiVersion} read back id '{read["id"]}'.");
        }

        return read;
    }

    private async Task ResourceGroupAsync(string v)
    {
        await PutAndGetAsync("Microsoft.Resources/resourceGroups", v, $"{_sub}/resourcegroups/rg-{v}", new JsonObject { ["location"] = Location });
    }

    private async Task RoleDefinitionsAsync(string v)
    {
        var expected = $"{_sub}/providers/Microsoft.Authorization/roleDefinitions/{AcrPull}";
        var listed = await _client.GetAsync($"{_group}/providers/Microsoft.Authorization/roleDefinitions?$filter={Uri.EscapeDataString("roleName eq 'AcrPull'")}", v);
        var read = await _client.GetAsync($"{_group}/providers/Microsoft.Authorization/roleDefinitions/{AcrPull}", v);
        if (listed["value"]?[0]?["id"]?.GetValue<string>() != expected || read["id"]?.GetValue<string>() != expected)
        {
            throw new InvalidOperationException($"Role definition ids at {v}: listed '{listed["value"]?[0]?["id"]}', read '{read["id"]}', expected '{expected}'.");
        }
    }

    private async Task RoleAssignmentAsync(string v)
    {
        var principal = _server.AddPrincipal("ServicePrincipal").ObjectId;
        var seed = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["roleDefinitionId"] = $"{_sub}/providers/Microsoft.Authorization/roleDefinitions/{AcrPull}",
                ["principalId"] = principal,
                ["principalType"] = "ServicePrincipal",
            },
        };
        await PutAndGetAsync("Microsoft.Authorization/roleAssignments", v, $"{_group}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}", seed);
    }

    private async Task RegistryAsync(string v)
    {
        var read = await PutAndGetAsync("Microsoft.ContainerRegistry/registries", v, $"{_group}/providers/Microsoft.ContainerRegistry/registries/acr{v.Replace("-", string.Empty, StringComparison.Ordinal)}", VersionSeeds.Registry());
        Expect(read, "Succeeded");
    }

    private async Task TaskAsync(string v)
    {
        await PutAndGetAsync("Microsoft.ContainerRegistry/registries/tasks", v, $"{_registry}/tasks/task-{v}", VersionSeeds.Task());
    }

    /// <summary>
    /// <c>scheduleRun</c> at the version, in its TaskRunRequest shape (<c>taskName</c> before 2019-06-01-preview,
    /// <c>taskId</c> from it on), then the run read at that version until it ends.
    /// </summary>
    private async Task RunAsync(string v)
    {
        var request = new JsonObject { ["type"] = "TaskRunRequest" };
        if (string.CompareOrdinal(v, "2019-06-01-preview") >= 0)
        {
            request["taskId"] = _taskId;
        }
        else
        {
            request["taskName"] = "shared-task";
        }

        var (_, body, _) = await _client.PostAsync($"{_registry}/scheduleRun", v, request, HttpStatusCode.OK, HttpStatusCode.Accepted);
        var runId = body?["properties"]?["runId"]?.GetValue<string>() ?? throw new InvalidOperationException($"scheduleRun at {v} answered no runId.");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string? status = null;
        while (DateTime.UtcNow < deadline)
        {
            status = (await _client.GetAsync($"{_registry}/runs/{runId}", v))["properties"]?["status"]?.GetValue<string>();
            if (status is "Succeeded" or "Failed" or "Canceled" or "Error" or "Timeout")
            {
                break;
            }

            await Task.Delay(10);
        }

        if (status != "Succeeded")
        {
            throw new InvalidOperationException($"Run {runId} scheduled at {v} ended {status}.");
        }
    }

    private async Task ContainerGroupAsync(string v)
    {
        var read = await PutAndGetAsync("Microsoft.ContainerInstance/containerGroups", v, $"{_group}/providers/Microsoft.ContainerInstance/containerGroups/cg-{v}", VersionSeeds.ContainerGroup());
        Expect(read, "Succeeded");
    }

    private async Task ContainerLogsAsync(string v)
    {
        var logs = await _client.GetAsync($"{_logGroup}/containers/c1/logs?tail=1", v);
        if (logs["content"]?.GetValue<string>() != "Started: Started container\n")
        {
            throw new InvalidOperationException($"Logs at {v}: {logs.ToJsonString()}");
        }
    }

    private async Task ContainerAppAsync(string v)
    {
        var read = await PutAndGetAsync("Microsoft.App/containerApps", v, $"{_group}/providers/Microsoft.App/containerApps/app-{v}", VersionSeeds.ContainerApp(_environment));
        Expect(read, "Succeeded");
    }

    /// <summary>Revisions are read-only: an app made at the newest version, its revisions listed and read at this one.</summary>
    private async Task RevisionsAsync(string v)
    {
        var app = $"{_group}/providers/Microsoft.App/containerApps/rev-{v.Replace("-", string.Empty, StringComparison.Ordinal)}";
        var read = await PutAndGetAsync("Microsoft.App/containerApps", Newest("Microsoft.App/containerApps"), app, VersionSeeds.ContainerApp(_environment));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var name = read["properties"]?["latestRevisionName"]?.GetValue<string>();
        while (string.IsNullOrEmpty(name) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            name = (await _client.GetAsync(app, Newest("Microsoft.App/containerApps")))["properties"]?["latestRevisionName"]?.GetValue<string>();
        }

        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidOperationException($"The app made for revisions at {v} has no latestRevisionName.");
        }

        var list = await _client.GetAsync($"{app}/revisions", v);
        if (list["value"] is not JsonArray { Count: > 0 })
        {
            throw new InvalidOperationException($"Listing revisions at {v} gave no revision: {list.ToJsonString()}");
        }

        var revision = await _client.GetAsync($"{app}/revisions/{name}", v);
        if (revision["name"]?.GetValue<string>() != name)
        {
            throw new InvalidOperationException($"Reading revision '{name}' at {v} gave {revision.ToJsonString()}");
        }
    }

    private async Task VaultAsync(string v)
    {
        await PutAndGetAsync("Microsoft.KeyVault/vaults", v, $"{_group}/providers/Microsoft.KeyVault/vaults/kv-{v.Replace("-", string.Empty, StringComparison.Ordinal)}", VersionSeeds.Vault(_server.TenantId));
    }

    /// <summary><c>accessPolicies/add</c> has no GET: the vault read at the same version shows the added policy.</summary>
    private async Task AccessPolicyAsync(string v)
    {
        var objectId = Guid.NewGuid().ToString();
        var seed = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["accessPolicies"] = new JsonArray(new JsonObject
                {
                    ["tenantId"] = _server.TenantId,
                    ["objectId"] = objectId,
                    ["permissions"] = new JsonObject { ["secrets"] = new JsonArray("get") },
                }),
            },
        };
        var schema = Loader.Value.LoadResourceType(Index.Value[$"Microsoft.KeyVault/vaults/accessPolicies@{v}"]);
        var outcome = await _client.PutAsync($"{_vault}/accessPolicies/add", v, VersionedBody.Derive(schema, seed));
        if (outcome != "Succeeded")
        {
            throw new InvalidOperationException($"accessPolicies/add at {v} ended {outcome}.");
        }

        var vault = await _client.GetAsync(_vault, v);
        if (vault["properties"]?["accessPolicies"] is not JsonArray policies || !policies.Any(p => p?["objectId"]?.GetValue<string>() == objectId))
        {
            throw new InvalidOperationException($"The vault read at {v} does not hold the policy added at {v}.");
        }
    }

    private async Task EventSubscriptionAsync(string v)
    {
        var seed = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["destination"] = new JsonObject { ["endpointType"] = "WebHook", ["properties"] = new JsonObject { ["endpointUrl"] = _webhook.ToString() } },
                ["filter"] = new JsonObject { ["includedEventTypes"] = new JsonArray("Microsoft.Resources.ResourceWriteSuccess") },
            },
        };
        await PutAndGetAsync("Microsoft.EventGrid/eventSubscriptions", v, $"{_sub}/resourceGroups/versions-events/providers/Microsoft.EventGrid/eventSubscriptions/es-{v}", seed);
    }

    private static void Expect(JsonObject read, string provisioningState)
    {
        if (read["properties"]?["provisioningState"]?.GetValue<string>() != provisioningState)
        {
            throw new InvalidOperationException($"{read["id"]} reads provisioningState '{read["properties"]?["provisioningState"]}', not '{provisioningState}'.");
        }
    }
}
