using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Arm;
using Provisioning.Arm.ContainerInstance;
using Provisioning.Arm.Operations;
using Provisioning.Arm.Pipeline;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Templates.Binding;
using Provisioning.Templates.Loading;

namespace Provisioning.Tests.Templates;

/// <summary>
/// Every good template, bound, is deployed through the ARM client to the ARM emulator, whose schema check
/// (the official Azure.Bicep.Types.Az schemas) must accept each request body.
/// </summary>
public sealed class TemplateDeploymentTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("sidecar")]
    [InlineData("private")]
    [InlineData("windows")]
    public async Task A_bound_template_deploys_and_every_request_is_accepted(string templateName)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "provisioning-tests-emulator"),
            Faults = new FaultSettings { ProvisioningDuration = TimeSpan.FromSeconds(2), GrantPropagationDelay = TimeSpan.Zero, PrincipalReplicationDelay = TimeSpan.Zero },
        }, time);
        await SetUpAsync(server, time);
        var catalog = await TemplateCatalog.LoadFolderAsync(TemplateFiles.Good);
        Assert.True(catalog.TryGet(templateName, out var template));
        var registryId = $"/subscriptions/{server.SubscriptionId}/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/myregistry";
        var parameters = new Dictionary<string, JsonNode?>
        {
            ["image"] = templateName == "private" ? "privateregistry.azurecr.io/api:3" : "myregistry.azurecr.io/web:1.0",
            ["registryId"] = registryId,
            ["apiKey"] = "s3cret",
            ["subnetId"] = $"/subscriptions/{server.SubscriptionId}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci",
        }.Where(p => template.Parameters.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        var resolved = template.Bind(parameters, new TemplateTarget(server.SubscriptionId, "apps", "westeurope"));
        // The emulator has one registry: point every credential and image at it (the rest of the body stays as bound).
        var body = (JsonObject)resolved.Workload.Body.DeepClone();
        foreach (var credential in body["properties"]!["imageRegistryCredentials"]?.AsArray() ?? [])
        {
            credential!["server"] = "myregistry.azurecr.io";
        }
        foreach (var container in body["properties"]!["containers"]!.AsArray())
        {
            container!["properties"]!["image"] = "myregistry.azurecr.io/web:1.0";
        }
        var client = ProvisioningArmClient.ForSandbox(new SandboxEndpoint(server.BaseUri, server.Certificate, server.DevelopmentToken), timeProvider: time);

        var identity = await client.Identities.EnsureAsync(resolved.Identity!.ResourceId, resolved.Identity.Location, null, CancellationToken.None);
        foreach (var grant in resolved.Grants)
        {
            await client.RoleAssignments.EnsureAsync(grant.Scope, identity.Resource.PrincipalId, grant.RoleDefinitionId, CancellationToken.None);
        }
        var operation = await client.ContainerGroups.BeginCreateOrUpdateAsync(resolved.Workload.ResourceId, body, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(3));
        var status = await client.ContainerGroups.PollAsync(operation, CancellationToken.None);

        Assert.Equal(ArmOperationState.Succeeded, status.State);
        Assert.DoesNotContain(server.GetRequestLog(), e => e.Status >= 400 && e.Status != 404);
    }

    /// <summary>The resource groups and the registry with an image, created directly on the emulator.</summary>
    private static async Task SetUpAsync(ArmEmulatorServer server, FakeTimeProvider time)
    {
        var pinned = server.Certificate.GetCertHash(HashAlgorithmName.SHA256);
#pragma warning disable CA5400 // The emulator's self-made certificate is pinned by hash; revocation does not apply.
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), pinned),
        };
#pragma warning restore CA5400
        using var http = new HttpClient(handler) { BaseAddress = server.BaseUri };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.DevelopmentToken);
        foreach (var group in new[] { "shared", "apps", "net" })
        {
            await PutAsync(http, $"/subscriptions/{server.SubscriptionId}/resourceGroups/{group}?api-version=2024-11-01", """{ "location": "westeurope" }""");
        }
        await PutAsync(http, $"/subscriptions/{server.SubscriptionId}/resourceGroups/shared/providers/Microsoft.ContainerRegistry/registries/myregistry?api-version={ArmApiVersions.Registries}",
            """{ "location": "westeurope", "sku": { "name": "Premium" } }""");
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.NotNull(server.PushImage("myregistry", "web", "1.0"));
    }

    private static async Task PutAsync(HttpClient http, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PutAsync(path, content);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
