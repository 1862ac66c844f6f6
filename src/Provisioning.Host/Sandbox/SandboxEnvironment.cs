using Provisioning.Arm.Pipeline;
using Provisioning.ArmEmulator;
using Provisioning.ArmEmulator.Faults;
using Provisioning.Host.Configuration;

namespace Provisioning.Host.Sandbox;

/// <summary>
/// The ARM emulator running inside the host, seeded with what the sample template needs: a resource group and a
/// registry that holds an image. The emulator's certificate is the only one the ARM client trusts.
/// </summary>
public sealed class SandboxEnvironment : IAsyncDisposable
{
    private SandboxEnvironment(ArmEmulatorServer emulator, SandboxSettings settings)
    {
        Emulator = emulator;
        Settings = settings;
    }

    /// <summary>The emulator.</summary>
    public ArmEmulatorServer Emulator { get; }

    /// <summary>What was seeded.</summary>
    public SandboxSettings Settings { get; }

    /// <summary>The seeded registry's resource id.</summary>
    public string RegistryId => $"/subscriptions/{Emulator.SubscriptionId}/resourceGroups/{Settings.ResourceGroup}/providers/Microsoft.ContainerRegistry/registries/{Settings.Registry}";

    /// <summary>The seeded image, as a workload names it.</summary>
    public string ImageReference => $"{Settings.Registry}.azurecr.io/{Settings.Image}";

    /// <summary>The emulator's certificate as a PEM file, for <c>curl --cacert</c>.</summary>
    public string CertificatePath { get; private set; } = string.Empty;

    /// <summary>The endpoint the ARM client uses.</summary>
    public SandboxEndpoint Endpoint => new(Emulator.BaseUri, Emulator.Certificate, Emulator.DevelopmentToken);

    /// <summary>Starts the emulator and seeds it (idempotent: a restart finds the seed in the emulator's data folder or seeds again).</summary>
    public static async Task<SandboxEnvironment> StartAsync(SandboxSettings settings, string dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var emulator = await ArmEmulatorServer.StartAsync(
            new ArmEmulatorOptions
            {
                Port = settings.EmulatorPort,
                DataDirectory = Path.Combine(dataDirectory, "emulator"),
                AsyncRetryAfterSeconds = settings.AsyncRetryAfterSeconds,
                Faults = new FaultSettings
                {
                    PrincipalReplicationDelay = settings.PrincipalReplicationDelay,
                    GrantPropagationDelay = settings.GrantPropagationDelay,
                    ProvisioningDuration = settings.ProvisioningDuration,
                },
            },
            cancellationToken: cancellationToken);
        var sandbox = new SandboxEnvironment(emulator, settings);
        try
        {
            // So that curl and az can trust exactly the emulator: --cacert <this file>, or REQUESTS_CA_BUNDLE for az.
            sandbox.CertificatePath = Path.Combine(dataDirectory, "emulator", "arm-emulator.pem");
            await File.WriteAllTextAsync(sandbox.CertificatePath, emulator.Certificate.ExportCertificatePem(), cancellationToken);
            await new SandboxSeed(sandbox).ApplyAsync(cancellationToken);
            return sandbox;
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
