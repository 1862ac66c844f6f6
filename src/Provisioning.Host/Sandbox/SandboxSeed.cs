using System.Text;

namespace Provisioning.Host.Sandbox;

/// <summary>
/// Seeds the emulator through its ARM API, as a user would with <c>az</c>: a resource group, a registry (long-running,
/// followed to its end) and an image pushed into it.
/// </summary>
internal sealed class SandboxSeed(SandboxEnvironment sandbox)
{
    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var emulator = sandbox.Emulator;
        using var http = emulator.CreateHttpClient();

        var settings = sandbox.Settings;
        await PutAsync(http, $"/subscriptions/{emulator.SubscriptionId}/resourcegroups/{settings.ResourceGroup}?api-version=2024-03-01", """{"location":"westeurope"}""", cancellationToken);
        var registryExists = emulator.GetInventory().Any(entry => entry.Id.Equals(sandbox.RegistryId, StringComparison.OrdinalIgnoreCase));
        if (!registryExists)
        {
            await PutAsync(http, $"{sandbox.RegistryId}?api-version=2025-11-01", """{"location":"westeurope","sku":{"name":"Standard"},"properties":{"adminUserEnabled":false}}""", cancellationToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        while (emulator.GetInventory().FirstOrDefault(entry => entry.Id.Equals(sandbox.RegistryId, StringComparison.OrdinalIgnoreCase))?.ProvisioningState != "Succeeded")
        {
            await Task.Delay(100, timeout.Token);
        }

        var separator = settings.Image.LastIndexOf(':');
        emulator.PushImage(settings.Registry, settings.Image[..separator], settings.Image[(separator + 1)..]);
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
