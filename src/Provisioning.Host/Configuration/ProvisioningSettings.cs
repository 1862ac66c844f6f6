namespace Provisioning.Host.Configuration;

/// <summary>
/// The product's settings (section <c>Provisioning</c>; in local.settings.json Values as <c>Provisioning__Name</c>).
/// <see cref="Mode"/> says whether runs go to the sandbox (the ARM emulator) or to Azure; see <see cref="ResolveMode"/>.
/// </summary>
public sealed class ProvisioningSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Provisioning";

    /// <summary>
    /// <c>Sandbox</c> or <c>Azure</c>. Unset: <c>Azure</c> when a subscription is configured, otherwise <c>Sandbox</c>
    /// (so <c>dotnet run</c> with no settings starts the sandbox).
    /// </summary>
    public string? Mode { get; set; }

    /// <summary>The folder of template files (YAML/JSON), relative to the content root. Default <c>templates</c>.</summary>
    public string TemplatesPath { get; set; } = "templates";

    /// <summary>Where runs go when a request names no region (and <c>[resourceGroup().location]</c> has nothing better).</summary>
    public string DefaultLocation { get; set; } = "westeurope";

    /// <summary>Azure: set <see cref="AzureSettings.SubscriptionId"/> to leave the sandbox and provision in Azure.</summary>
    public AzureSettings Azure { get; set; } = new();

    /// <summary>The sandbox's seed and Azure delays.</summary>
    public SandboxSettings Sandbox { get; set; } = new();

    /// <summary>
    /// The mode the host runs in. An explicit <c>Azure</c> needs a subscription and never falls back to the sandbox; an
    /// explicit <c>Sandbox</c> runs the emulator even when a subscription is configured.
    /// </summary>
    /// <exception cref="ProvisioningSettingsException">The mode is unknown, <c>Azure</c> has no subscription, or the external emulator's settings are incomplete.</exception>
    public ProvisioningMode ResolveMode()
    {
        var hasSubscription = !string.IsNullOrWhiteSpace(Azure.SubscriptionId);
        ProvisioningMode mode;
        if (string.IsNullOrWhiteSpace(Mode))
        {
            mode = hasSubscription ? ProvisioningMode.Azure : ProvisioningMode.Sandbox;
        }
        else if (!Enum.TryParse(Mode.Trim(), ignoreCase: true, out mode) || !Enum.IsDefined(mode))
        {
            throw new ProvisioningSettingsException(
                $"Provisioning:Mode is '{Mode}', which is not a mode. Set Provisioning__Mode=Sandbox (the ARM emulator) or Provisioning__Mode=Azure (with Provisioning__Azure__SubscriptionId).");
        }

        if (mode == ProvisioningMode.Azure && !hasSubscription)
        {
            throw new ProvisioningSettingsException(
                "Provisioning:Mode is Azure but no subscription is configured. Set Provisioning__Azure__SubscriptionId=<subscription id> "
                + "(environment variable, or Values in local.settings.json), and sign in so DefaultAzureCredential finds a credential (az login, "
                + "a managed identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/...). To try the product without Azure, set Provisioning__Mode=Sandbox.");
        }

        if (mode == ProvisioningMode.Azure && !Guid.TryParse(Azure.SubscriptionId, out _))
        {
            throw new ProvisioningSettingsException(
                $"Provisioning:Azure:SubscriptionId is '{Azure.SubscriptionId}', which is not a subscription id. Set Provisioning__Azure__SubscriptionId to a GUID such as 00000000-0000-0000-0000-000000000000 (az account show --query id).");
        }

        if (mode == ProvisioningMode.Sandbox)
        {
            Sandbox.Validate();
        }

        return mode;
    }
}

/// <summary>How the host reaches Azure.</summary>
public sealed class AzureSettings
{
    /// <summary>The subscription runs provision into by default. Setting it switches the host from the sandbox to Azure.</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>The ARM endpoint (sovereign clouds); default public Azure.</summary>
    public Uri? ResourceManagerEndpoint { get; set; }
}

/// <summary>The sandbox: an ARM emulator seeded with a resource group and a registry holding an image.</summary>
public sealed class SandboxSettings
{
    /// <summary>The seeded resource group.</summary>
    public string ResourceGroup { get; set; } = "rg-sandbox";

    /// <summary>The seeded registry (its login server is <c>{name}.azurecr.io</c>).</summary>
    public string Registry { get; set; } = "sandboxacr";

    /// <summary>The seeded image, <c>repository:tag</c>.</summary>
    public string Image { get; set; } = "hello/web:1.0";

    /// <summary>A second seeded registry, of base images: the sample ACR task (templates/build-task.yaml) pulls from it with its system identity.</summary>
    public string BaseRegistry { get; set; } = "sandboxbaseacr";

    /// <summary>The seeded base image in <see cref="BaseRegistry"/>, <c>repository:tag</c>.</summary>
    public string BaseImage { get; set; } = "base/runtime:1.0";

    /// <summary>Subscribe the host's Event Grid webhook to the emulator's events (image pushes, resource writes and deletes).</summary>
    public bool SubscribeEvents { get; set; } = true;

    /// <summary>
    /// Fixed HTTPS port of the in-host emulator; 0 for a free port (the one it had last time, when still free: the emulator
    /// keeps its state in <c>{DataDirectory}/emulator</c>, and the operation URLs runs saved must stay valid).
    /// </summary>
    public int EmulatorPort { get; set; }

    /// <summary>
    /// The address of an emulator running on its own (<c>dotnet run --project src/Provisioning.ArmEmulator -- --port 5443 --data …</c>),
    /// e.g. <c>https://127.0.0.1:5443/</c>. Set, the host starts no emulator of its own: it can then be killed and restarted while
    /// "Azure" stays up. The emulator's faults are then its own (<c>PUT /_emulator/faults</c>); the delays below apply only to
    /// the in-host emulator.
    /// </summary>
    public string? EmulatorUrl { get; set; }

    /// <summary>True when <see cref="EmulatorUrl"/> names an external emulator.</summary>
    public bool UsesExternalEmulator => !string.IsNullOrWhiteSpace(EmulatorUrl);

    /// <summary>The external emulator's certificate: <c>arm-emulator.pem</c> in its data folder. Required with <see cref="EmulatorUrl"/>.</summary>
    public string? EmulatorCertificatePath { get; set; }

    /// <summary>
    /// The external emulator's development token. Default: read from <c>arm-emulator.token</c> beside
    /// <see cref="EmulatorCertificatePath"/> (the emulator writes both in its data folder).
    /// </summary>
    public string? EmulatorToken { get; set; }

    /// <summary>How long a new identity's principal stays unknown to the directory.</summary>
    public TimeSpan PrincipalReplicationDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a grant takes to become effective for image pulls (Azure: up to 10 minutes).</summary>
    public TimeSpan GrantPropagationDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a long-running operation takes.</summary>
    public TimeSpan ProvisioningDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> (seconds) the emulator advises on long-running operations.</summary>
    public int AsyncRetryAfterSeconds { get; set; } = 1;

    /// <summary>Checks the external emulator's settings when one is named.</summary>
    /// <exception cref="ProvisioningSettingsException">The URL is not an absolute https URL, or the certificate is not named or not found.</exception>
    public void Validate()
    {
        if (!UsesExternalEmulator)
        {
            if (!string.IsNullOrWhiteSpace(EmulatorCertificatePath) || !string.IsNullOrWhiteSpace(EmulatorToken))
            {
                throw new ProvisioningSettingsException(
                    "Provisioning:Sandbox:EmulatorCertificatePath or EmulatorToken is set without Provisioning:Sandbox:EmulatorUrl. Set Provisioning__Sandbox__EmulatorUrl to the external emulator's address (e.g. https://127.0.0.1:5443/), or remove them to run the emulator in the host.");
            }

            return;
        }

        if (!Uri.TryCreate(EmulatorUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            throw new ProvisioningSettingsException(
                $"Provisioning:Sandbox:EmulatorUrl is '{EmulatorUrl}'. Set it to the emulator's https address, e.g. Provisioning__Sandbox__EmulatorUrl=https://127.0.0.1:5443/.");
        }

        if (string.IsNullOrWhiteSpace(EmulatorCertificatePath))
        {
            throw new ProvisioningSettingsException(
                "Provisioning:Sandbox:EmulatorUrl is set but Provisioning:Sandbox:EmulatorCertificatePath is not. Set it to the emulator's certificate, arm-emulator.pem in the emulator's data folder (Provisioning__Sandbox__EmulatorCertificatePath=<emulator data folder>/arm-emulator.pem).");
        }

        if (!File.Exists(EmulatorCertificatePath))
        {
            throw new ProvisioningSettingsException(
                $"Provisioning:Sandbox:EmulatorCertificatePath is '{EmulatorCertificatePath}', which does not exist. Start the emulator first (it writes arm-emulator.pem in its data folder) or correct the path.");
        }
    }
}
