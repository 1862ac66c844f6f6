using System.Text;
using Provisioning.Arm;
using Provisioning.Arm.Pipeline;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.Functions.Tests;

/// <summary>
/// The ARM emulator seeded for the sample template (templates/web.yaml, as shipped with the app): a resource group
/// with a registry holding the image, and the product's ARM client trusting exactly the emulator's certificate.
/// </summary>
internal sealed class ArmSandbox : IAsyncDisposable
{
    public const string ResourceGroup = "rg-sandbox";
    public const string Registry = "sandboxacr";
    public const string Image = "sandboxacr.azurecr.io/hello/web:1.0";

    private ArmSandbox(ArmEmulatorServer emulator, ProvisioningArmClient client)
    {
        Emulator = emulator;
        ArmClient = client;
    }

    public ArmEmulatorServer Emulator { get; }

    public ProvisioningArmClient ArmClient { get; }

    public string SubscriptionId => Emulator.SubscriptionId;

    public static async Task<ArmSandbox> StartAsync(FaultSettings? faults = null)
    {
        var emulator = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "provisioning-functions-tests", Guid.NewGuid().ToString("N")),
            Faults = new FaultSettings { ProvisioningDuration = TimeSpan.FromMilliseconds(100) },
        });
        await SeedAsync(emulator);
        if (faults is not null)
        {
            emulator.Faults.Set(faults);
        }

        return new ArmSandbox(emulator, ProvisioningArmClient.ForSandbox(new SandboxEndpoint(emulator.BaseUri, emulator.Certificate, emulator.DevelopmentToken)));
    }

    /// <summary>Every resource id the emulator holds, upper case.</summary>
    public IReadOnlyList<string> Inventory() => [.. Emulator.GetInventory().Select(entry => entry.Id.ToUpperInvariant())];

    public async ValueTask DisposeAsync() => await Emulator.DisposeAsync();

    private static async Task SeedAsync(ArmEmulatorServer emulator)
    {
        using var http = emulator.CreateHttpClient();
        var group = $"/subscriptions/{emulator.SubscriptionId}/resourcegroups/{ResourceGroup}";
        var registry = $"{group}/providers/Microsoft.ContainerRegistry/registries/{Registry}";
        await PutAsync(http, group, "2024-03-01", """{"location":"westeurope"}""");
        await PutAsync(http, registry, "2025-11-01", """{"location":"westeurope","sku":{"name":"Standard"},"properties":{}}""");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (emulator.GetInventory().Single(entry => entry.Id.Equals(registry, StringComparison.OrdinalIgnoreCase)).ProvisioningState != "Succeeded")
        {
            await Task.Delay(50, timeout.Token);
        }

        emulator.PushImage(Registry, "hello/web", "1.0");
    }

    private static async Task PutAsync(HttpClient http, string path, string apiVersion, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{path}?api-version={apiVersion}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
