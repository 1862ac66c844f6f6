using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.Arm.Tests.Emulator;

/// <summary>
/// One ARM emulator over loopback HTTPS for one test, with a fake clock (operations, replication and grant
/// propagation complete when the test advances it), plus setup helpers that talk to the emulator directly
/// (resource groups and registries are not operations of the client under test).
/// </summary>
internal sealed class EmulatorEnvironment : IAsyncDisposable
{
    private const string ResourceGroupApiVersion = "2024-11-01";
    private readonly HttpClient _raw;

    private EmulatorEnvironment(ArmEmulatorServer server, TimeProvider time)
    {
        Server = server;
        Time = time;
        var pinned = server.Certificate.GetCertHash(HashAlgorithmName.SHA256);
#pragma warning disable CA5400 // Revocation is meaningless for the emulator's self-made certificate, pinned by hash.
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), pinned),
        };
#pragma warning restore CA5400
        _raw = new HttpClient(handler) { BaseAddress = server.BaseUri };
        _raw.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.DevelopmentToken);
    }

    public ArmEmulatorServer Server { get; }

    public TimeProvider Time { get; }

    public FakeTimeProvider? FakeTime => Time as FakeTimeProvider;

    public string SubscriptionId => Server.SubscriptionId;

    public SandboxEndpoint Sandbox => new(Server.BaseUri, Server.Certificate, Server.DevelopmentToken);

    public static async Task<EmulatorEnvironment> StartAsync(FaultSettings? faults = null, bool fakeTime = true, int pageSize = 100)
    {
        TimeProvider time = fakeTime ? new FakeTimeProvider(DateTimeOffset.UtcNow) : TimeProvider.System;
        var options = new ArmEmulatorOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "provisioning-arm-tests-emulator"),
            Faults = faults ?? new FaultSettings { ProvisioningDuration = TimeSpan.FromSeconds(2), GrantPropagationDelay = TimeSpan.Zero, PrincipalReplicationDelay = TimeSpan.Zero },
            PageSize = pageSize,
        };
        var server = await ArmEmulatorServer.StartAsync(options, time);
        return new EmulatorEnvironment(server, time);
    }

    /// <summary>A new client instance (as after a restart), fast retries for tests.</summary>
    public ProvisioningArmClient NewClient(int maxRetries = 5)
    {
        var options = new ArmClientOptions();
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(20);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.Mode = RetryMode.Exponential;
        return ProvisioningArmClient.ForSandbox(Sandbox, options, timeProvider: Time);
    }

    public void Advance(TimeSpan by) => (FakeTime ?? throw new InvalidOperationException("This environment runs on the system clock.")).Advance(by);

    public async Task<ArmResourceId> CreateResourceGroupAsync(string name, string location = "westeurope")
    {
        var id = ArmResourceId.ForResourceGroup(SubscriptionId, name);
        using var response = await _raw.PutAsJsonAsync($"{id}?api-version={ResourceGroupApiVersion}", new { location });
        await EnsureSuccessAsync(response);
        return id;
    }

    /// <summary>Creates a registry and waits (on the fake clock) until it has provisioned.</summary>
    public async Task<ArmResourceId> CreateRegistryAsync(string resourceGroup, string name, string sku = "Premium", JsonObject? properties = null)
    {
        var id = ArmResourceId.ForResource(SubscriptionId, resourceGroup, "Microsoft.ContainerRegistry/registries", name);
        var body = new JsonObject { ["location"] = "westeurope", ["sku"] = new JsonObject { ["name"] = sku } };
        if (properties is not null)
        {
            body["properties"] = properties;
        }
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await _raw.PutAsync($"{id}?api-version={ArmApiVersions.Registries}", content);
        await EnsureSuccessAsync(response);
        Advance(TimeSpan.FromSeconds(5));
        return id;
    }

    /// <summary>Sends a raw PUT (for states the client under test never produces).</summary>
    public async Task<HttpResponseMessage> PutRawAsync(string pathAndQuery, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        return await _raw.PutAsync(pathAndQuery, content);
    }

    /// <summary>The requests the emulator refused with 400 (schema or semantic errors): none are expected from the client.</summary>
    public IReadOnlyList<string> RejectedRequests() =>
        Server.GetRequestLog().Where(e => e.Status == 400 && e.ErrorCode is "InvalidRequestContent" or "InvalidRequest" or "MissingApiVersionParameter" or "InvalidApiVersionParameter" or "InvalidResourceName" or "LocationRequired")
            .Select(e => $"{e.Method} {e.Path} {e.Status} {e.ErrorCode}").ToArray();

    private static async Task EnsureSuccessAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Emulator setup failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _raw.Dispose();
        await Server.DisposeAsync();
    }
}
