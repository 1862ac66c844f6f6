using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Provisioning.Arm.Pipeline;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Host.Configuration;

namespace Provisioning.Host.Sandbox;

/// <summary>
/// The sandbox's ARM: the emulator running inside the host (keeping its state in <c>{DataDirectory}/emulator</c>), or an
/// emulator running on its own (<see cref="SandboxSettings.EmulatorUrl"/>), which stays up while the host is killed and
/// restarted. Either way it is seeded with what the sample template needs (a resource group and a registry that holds an
/// image), through its HTTP API; its certificate is the only one the ARM client trusts.
/// </summary>
public sealed class SandboxEnvironment : IAsyncDisposable
{
    private readonly ArmEmulatorServer? _emulator;

    private SandboxEnvironment(ArmEmulatorServer? emulator, SandboxSettings settings, SandboxEndpoint endpoint, string subscriptionId, string certificatePath)
    {
        _emulator = emulator;
        Settings = settings;
        Endpoint = endpoint;
        SubscriptionId = subscriptionId;
        CertificatePath = certificatePath;
    }

    /// <summary>The emulator running in the host.</summary>
    /// <exception cref="InvalidOperationException">The sandbox uses an external emulator (reach it with <see cref="CreateHttpClient()"/>).</exception>
    public ArmEmulatorServer Emulator => _emulator
        ?? throw new InvalidOperationException($"The sandbox uses the external emulator at {BaseUri}; reach it over HTTP (CreateHttpClient).");

    /// <summary>True when the emulator runs on its own, outside the host.</summary>
    public bool IsExternal => _emulator is null;

    /// <summary>What was seeded.</summary>
    public SandboxSettings Settings { get; }

    /// <summary>The emulator's base address.</summary>
    public Uri BaseUri => Endpoint.BaseUri;

    /// <summary>The subscription the emulator serves.</summary>
    public string SubscriptionId { get; }

    /// <summary>The seeded registry's resource id.</summary>
    public string RegistryId => $"/subscriptions/{SubscriptionId}/resourceGroups/{Settings.ResourceGroup}/providers/Microsoft.ContainerRegistry/registries/{Settings.Registry}";

    /// <summary>The seeded image, as a workload names it.</summary>
    public string ImageReference => $"{Settings.Registry}.azurecr.io/{Settings.Image}";

    /// <summary>The emulator's certificate as a PEM file, for <c>curl --cacert</c>.</summary>
    public string CertificatePath { get; }

    /// <summary>The endpoint the ARM client uses.</summary>
    public SandboxEndpoint Endpoint { get; }

    /// <summary>
    /// Starts the emulator in the host, or connects to the external one, and seeds it (idempotent: a restart finds the seed
    /// in the emulator's saved state and adds nothing).
    /// </summary>
    /// <exception cref="ProvisioningSettingsException">The external emulator cannot be reached or refuses the token.</exception>
    public static async Task<SandboxEnvironment> StartAsync(SandboxSettings settings, string dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sandbox = settings.UsesExternalEmulator
            ? await ConnectAsync(settings, cancellationToken)
            : await StartInHostAsync(settings, dataDirectory, cancellationToken);
        try
        {
            await new SandboxSeed(sandbox).ApplyAsync(cancellationToken);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A plain <see cref="HttpClient"/> on the emulator (ARM and <c>/_emulator</c>): its base address, its development token,
    /// and its certificate as the only trust anchor.
    /// </summary>
    public HttpClient CreateHttpClient() => CreateHttpClient(Endpoint);

    /// <inheritdoc />
    /// <remarks>An external emulator is left running.</remarks>
    public ValueTask DisposeAsync() => _emulator?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static async Task<SandboxEnvironment> StartInHostAsync(SandboxSettings settings, string dataDirectory, CancellationToken cancellationToken)
    {
        var emulator = await ArmEmulatorServer.StartAsync(
            new ArmEmulatorOptions
            {
                Port = settings.EmulatorPort,
                DataDirectory = Path.Combine(dataDirectory, "emulator"),
                PersistState = true,
                AsyncRetryAfterSeconds = settings.AsyncRetryAfterSeconds,
                Faults = new FaultSettings
                {
                    PrincipalReplicationDelay = settings.PrincipalReplicationDelay,
                    GrantPropagationDelay = settings.GrantPropagationDelay,
                    ProvisioningDuration = settings.ProvisioningDuration,
                },
            },
            cancellationToken: cancellationToken);
        return new SandboxEnvironment(emulator, settings, new SandboxEndpoint(emulator.BaseUri, emulator.Certificate, emulator.DevelopmentToken), emulator.SubscriptionId, emulator.CertificatePath);
    }

    private static async Task<SandboxEnvironment> ConnectAsync(SandboxSettings settings, CancellationToken cancellationToken)
    {
        var url = new Uri(settings.EmulatorUrl!.EndsWith('/') ? settings.EmulatorUrl : settings.EmulatorUrl + "/");
        var certificatePath = Path.GetFullPath(settings.EmulatorCertificatePath!);
        var token = string.IsNullOrWhiteSpace(settings.EmulatorToken) ? ReadTokenFile(certificatePath) : settings.EmulatorToken.Trim();
        var endpoint = SandboxEndpoint.FromCertificateFile(url, certificatePath, token);
        using var http = CreateHttpClient(endpoint);
        JsonNode? subscriptions;
        try
        {
            using var response = await http.GetAsync(new Uri("subscriptions?api-version=2022-12-01", UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new ProvisioningSettingsException(
                    $"The emulator at {url} refuses the token. Set Provisioning__Sandbox__EmulatorToken to the token it printed (also in arm-emulator.token in its data folder).");
            }

            response.EnsureSuccessStatusCode();
            subscriptions = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception error) when (error is HttpRequestException or SocketException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ProvisioningSettingsException(
                $"The emulator at {url} (Provisioning__Sandbox__EmulatorUrl) cannot be reached: {error.Message} Start it (dotnet run --project src/Provisioning.ArmEmulator -- --port {url.Port} --data <folder>), "
                + "check that Provisioning__Sandbox__EmulatorCertificatePath is its arm-emulator.pem, or unset Provisioning__Sandbox__EmulatorUrl to run the emulator in the host.",
                error);
        }

        var subscriptionId = (string?)subscriptions?["value"]?[0]?["subscriptionId"]
            ?? throw new ProvisioningSettingsException($"The server at {url} answered GET /subscriptions without a subscription: is it the ARM emulator?");
        return new SandboxEnvironment(null, settings, endpoint, subscriptionId, certificatePath);
    }

    /// <summary>The token the emulator keeps beside its certificate (<c>arm-emulator.token</c> in its data folder).</summary>
    private static string ReadTokenFile(string certificatePath)
    {
        var path = Path.Combine(Path.GetDirectoryName(certificatePath)!, "arm-emulator.token");
        return File.Exists(path)
            ? File.ReadAllText(path).Trim()
            : throw new ProvisioningSettingsException(
                $"Provisioning:Sandbox:EmulatorToken is not set and there is no arm-emulator.token beside the certificate ({path}). Set Provisioning__Sandbox__EmulatorToken to the token the emulator printed.");
    }

    private static HttpClient CreateHttpClient(SandboxEndpoint endpoint)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(endpoint.Certificate.RawData));
        var handler = new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
        var http = new HttpClient(new TransientRetryHandler(handler)) { BaseAddress = endpoint.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.DevelopmentToken);
        return http;
    }
}
