using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Provisioning.Host.Sandbox;

/// <summary>
/// Seeds the emulator through its HTTP API, as a user would with <c>az</c> and <c>docker push</c>: a resource group, a
/// registry (long-running, followed to its end) with an image pushed into it, and a second registry of base images. Only what is missing is added, so a restart
/// on the emulator's saved state raises no event.
/// </summary>
internal sealed class SandboxSeed(SandboxEnvironment sandbox)
{
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
    }

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
