using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Sandbox;

/// <summary>
/// Seeds the emulator through its HTTP API, as a user would with <c>az</c> and <c>docker push</c>: a resource group, a
/// registry (long-running, followed to its end) with an image pushed into it, a second registry of base images, a VM
/// with a system-assigned identity and a key vault. Only what is missing is added, so a restart on the emulator's saved
/// state raises no event.
/// </summary>
internal sealed class SandboxSeed(SandboxEnvironment sandbox)
{
    /// <summary>The seeded VM, with a system-assigned identity: the target of <c>templates/vm-grant.yaml</c>.</summary>
    public const string VirtualMachine = "sandbox-vm";

    /// <summary>The seeded key vault, in access-policy mode: the vault of <c>templates/keyvault-web.yaml</c>.</summary>
    public const string KeyVault = "sandbox-kv";

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        using var http = sandbox.CreateHttpClient();
        var settings = sandbox.Settings;
        var group = $"/subscriptions/{sandbox.SubscriptionId}/resourcegroups/{settings.ResourceGroup}?api-version=2024-03-01";
        using (var existing = await http.GetAsync(new Uri(group, UriKind.Relative), cancellationToken))
        {
            if (existing.StatusCode == HttpStatusCode.NotFound)
            {
                await PutAsync(http, group, """{"location":"westeurope"}""", cancellationToken);
            }
        }

        await EnsureRegistryAsync(http, sandbox.RegistryId, settings.Registry, settings.Image, cancellationToken);
        var baseRegistryId = $"/subscriptions/{sandbox.SubscriptionId}/resourceGroups/{settings.ResourceGroup}/providers/Microsoft.ContainerRegistry/registries/{settings.BaseRegistry}";
        await EnsureRegistryAsync(http, baseRegistryId, settings.BaseRegistry, settings.BaseImage, cancellationToken);

        // What the grant-only and Key Vault samples (templates/vm-grant.yaml, templates/keyvault-web.yaml) target: they
        // never create these, as in Azure, where the VM and the vault exist before the run.
        var resourceGroupId = $"/subscriptions/{sandbox.SubscriptionId}/resourceGroups/{settings.ResourceGroup}";
        await EnsureAsync(http, $"{resourceGroupId}/providers/Microsoft.Compute/virtualMachines/{VirtualMachine}?api-version=2024-11-01", VirtualMachineBody(resourceGroupId), cancellationToken);
        var tenantId = await TenantIdAsync(http, cancellationToken);
        await EnsureAsync(http, $"{resourceGroupId}/providers/Microsoft.KeyVault/vaults/{KeyVault}?api-version=2024-11-01", KeyVaultBody(tenantId), cancellationToken);
    }

    private static async Task EnsureAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var existing = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        if (existing.StatusCode == HttpStatusCode.NotFound)
        {
            await PutAsync(http, path, json, cancellationToken);
        }
    }

    // The vault's access policies name the directory's tenant, which the subscription tells.
    private async Task<string> TenantIdAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var subscription = await http.GetFromJsonAsync<JsonObject>(new Uri($"/subscriptions/{sandbox.SubscriptionId}?api-version=2022-12-01", UriKind.Relative), cancellationToken);
        return (string?)subscription?["tenantId"] ?? throw new InvalidOperationException("Seeding the sandbox failed: the subscription names no tenant.");
    }

    private static string VirtualMachineBody(string resourceGroupId) => $$$$"""
        {"location":"westeurope","identity":{"type":"SystemAssigned"},"properties":{
          "hardwareProfile":{"vmSize":"Standard_B1s"},
          "storageProfile":{"imageReference":{"publisher":"Canonical","offer":"ubuntu-24_04-lts","sku":"server","version":"latest"},"osDisk":{"createOption":"FromImage"}},
          "osProfile":{"computerName":"{{{{VirtualMachine}}}}","adminUsername":"azureuser","linuxConfiguration":{"disablePasswordAuthentication":true}},
          "networkProfile":{"networkInterfaces":[{"id":"{{{{resourceGroupId}}}}/providers/Microsoft.Network/networkInterfaces/{{{{VirtualMachine}}}}-nic"}]}}}
        """;

    // Access-policy mode (the vault's default), with no entry yet: the sample's run adds its identity's.
    private static string KeyVaultBody(string tenantId) => $$$$"""
        {"location":"westeurope","properties":{"tenantId":"{{{{tenantId}}}}","sku":{"family":"A","name":"standard"},"accessPolicies":[],"enableRbacAuthorization":false}}
        """;

    private static async Task EnsureRegistryAsync(HttpClient http, string registryId, string name, string image, CancellationToken cancellationToken)
    {
        var registry = $"{registryId}?api-version=2025-11-01";
        using (var existing = await http.GetAsync(new Uri(registry, UriKind.Relative), cancellationToken))
        {
            if (existing.StatusCode == HttpStatusCode.NotFound)
            {
                await PutAsync(http, registry, """{"location":"westeurope","sku":{"name":"Standard"},"properties":{"adminUserEnabled":false}}""", cancellationToken);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        while (true)
        {
            using var read = await http.GetAsync(new Uri(registry, UriKind.Relative), timeout.Token);
            if (read.IsSuccessStatusCode && (string?)JsonNode.Parse(await read.Content.ReadAsStringAsync(timeout.Token))?["properties"]?["provisioningState"] == "Succeeded")
            {
                break;
            }

            await Task.Delay(100, timeout.Token);
        }

        var separator = image.LastIndexOf(':');
        var (repository, tag) = (image[..separator], image[(separator + 1)..]);
        var images = new Uri($"/_emulator/registries/{Uri.EscapeDataString(name)}/images", UriKind.Relative);
        var held = await http.GetFromJsonAsync<JsonObject>(images, cancellationToken);
        if (held?[repository]?[tag] is null)
        {
            using var push = await http.PostAsJsonAsync(images, new { repository, tag }, cancellationToken);
            if (!push.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Seeding the sandbox failed: pushing {image} to {name} answered {(int)push.StatusCode}: {await push.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }
    }

    private static async Task PutAsync(HttpClient http, string path, string json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Seeding the sandbox failed: PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
