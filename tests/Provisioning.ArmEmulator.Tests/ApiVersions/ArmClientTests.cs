using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Azure.ResourceManager.Resources.Models;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.ArmEmulator.Tests.ApiVersions;

/// <summary>
/// The official Azure SDK for .NET (the generic <see cref="ArmClient"/>) creates, follows to completion and reads
/// resources at the api-versions the official Python SDK defaults to, which the emulator once refused.
/// </summary>
public sealed class ArmClientTests
{
    [Fact]
    public async Task The_generic_ArmClient_creates_and_reads_at_the_Python_SDK_default_versions()
    {
        var options = new ArmEmulatorOptions
        {
            DataDirectory = TestEmulator.DataDirectory,
            AsyncRetryAfterSeconds = 0,
            Faults = new FaultSettings { ProvisioningDuration = TimeSpan.FromMilliseconds(20) },
        };
        await using var server = await ArmEmulatorServer.StartAsync(options, TimeProvider.System);
        using (var http = server.CreateHttpClient())
        {
            using var group = await http.PutAsync(new Uri($"/subscriptions/{server.SubscriptionId}/resourcegroups/sdk?api-version=2024-03-01", UriKind.Relative), new StringContent("""{"location":"westeurope"}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.True(group.IsSuccessStatusCode);
        }

        var client = CreateClient(server, new Dictionary<string, string>
        {
            ["Microsoft.ContainerRegistry/registries"] = "2021-09-01",
            ["Microsoft.ContainerInstance/containerGroups"] = "2022-10-01-preview",
            ["Microsoft.App/managedEnvironments"] = "2022-10-01",
            ["Microsoft.App/containerApps"] = "2022-10-01",
        });
        var resources = client.GetGenericResources();
        var scope = $"/subscriptions/{server.SubscriptionId}/resourceGroups/sdk/providers";

        // Independent creates run together: the SDK's poller waits about a second between polls even when Retry-After is 0.
        var environmentId = $"{scope}/Microsoft.App/managedEnvironments/sdk-env";
        var registry = CreateAsync(resources, $"{scope}/Microsoft.ContainerRegistry/registries/sdkacr", new GenericResourceData(AzureLocation.WestEurope)
        {
            Sku = new ResourcesSku { Name = "Basic" },
            Properties = BinaryData.FromString("""{"adminUserEnabled":false}"""),
        });
        var containerGroup = CreateAsync(resources, $"{scope}/Microsoft.ContainerInstance/containerGroups/sdk-group", new GenericResourceData(AzureLocation.WestEurope)
        {
            Properties = BinaryData.FromString("""
                {"containers":[{"name":"c1","properties":{"image":"mcr.microsoft.com/azuredocs/aci-helloworld","resources":{"requests":{"cpu":1,"memoryInGB":1.5}}}}],
                 "osType":"Linux","restartPolicy":"Always"}
                """),
        });
        var environment = CreateAsync(resources, environmentId, new GenericResourceData(AzureLocation.WestEurope) { Properties = BinaryData.FromString("{}") });
        await Task.WhenAll(registry, containerGroup, environment);
        Assert.Equal("sdkacr.azurecr.io", (await registry)["loginServer"]!.GetValue<string>());

        await CreateAsync(resources, $"{scope}/Microsoft.App/containerApps/sdk-app", new GenericResourceData(AzureLocation.WestEurope)
        {
            Properties = BinaryData.FromString($$$"""
                {"managedEnvironmentId":"{{{environmentId}}}","configuration":{"activeRevisionsMode":"Single"},
                 "template":{"containers":[{"name":"app","image":"mcr.microsoft.com/k8se/quickstart:latest"}]}}
                """),
        });
    }

    /// <summary>PUT through the SDK and follow it with the SDK's poller; then a fresh GET. Returns the properties read.</summary>
    private static async Task<JsonObject> CreateAsync(GenericResourceCollection resources, string id, GenericResourceData data)
    {
        var operation = await resources.CreateOrUpdateAsync(WaitUntil.Completed, new ResourceIdentifier(id), data);
        Assert.True(operation.HasCompleted);
        var read = await operation.Value.GetAsync();
        var properties = (JsonObject)JsonNode.Parse(read.Value.Data.Properties.ToString())!;
        Assert.Equal("Succeeded", properties["provisioningState"]!.GetValue<string>());
        return properties;
    }

    private static ArmClient CreateClient(ArmEmulatorServer server, Dictionary<string, string> apiVersions)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(server.Certificate.RawData));
        var handler = new SocketsHttpHandler { SslOptions = new System.Net.Security.SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(server.BaseUri, "https://management.azure.com/"),
            Transport = new HttpClientTransport(handler),
        };
        options.Retry.MaxRetries = 0;
        foreach (var (type, version) in apiVersions)
        {
            options.SetApiVersion(new ResourceType(type), version);
        }

        return new ArmClient(new DevelopmentCredential(server.DevelopmentToken), server.SubscriptionId, options);
    }

    /// <summary>The emulator's development token as an Azure.Core credential.</summary>
    private sealed class DevelopmentCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
