namespace Provisioning.Host.Configuration;

/// <summary>
/// The product's settings (section <c>Provisioning</c>; in local.settings.json Values as <c>Provisioning__Name</c>).
/// With no Azure subscription configured the host runs the sandbox: the ARM emulator in-process.
/// </summary>
public sealed class ProvisioningSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Provisioning";

    /// <summary>The folder of template files (YAML/JSON), relative to the content root. Default <c>templates</c>.</summary>
    public string TemplatesPath { get; set; } = "templates";

    /// <summary>Where runs go when a request names no region (and <c>[resourceGroup().location]</c> has nothing better).</summary>
    public string DefaultLocation { get; set; } = "westeurope";

    /// <summary>Azure: set <see cref="AzureSettings.SubscriptionId"/> to leave the sandbox and provision in Azure.</summary>
    public AzureSettings Azure { get; set; } = new();

    /// <summary>The sandbox's seed and Azure delays.</summary>
    public SandboxSettings Sandbox { get; set; } = new();

    /// <summary>True when no subscription is configured: the sandbox is used.</summary>
    public bool IsSandbox => string.IsNullOrWhiteSpace(Azure.SubscriptionId);
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

    /// <summary>Subscribe the host's Event Grid webhook to the emulator's events (image pushes, resource writes and deletes).</summary>
    public bool SubscribeEvents { get; set; } = true;

    /// <summary>Fixed HTTPS port of the emulator; 0 for any free port.</summary>
    public int EmulatorPort { get; set; }

    /// <summary>How long a new identity's principal stays unknown to the directory.</summary>
    public TimeSpan PrincipalReplicationDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a grant takes to become effective for image pulls (Azure: up to 10 minutes).</summary>
    public TimeSpan GrantPropagationDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a long-running operation takes.</summary>
    public TimeSpan ProvisioningDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The <c>Retry-After</c> (seconds) the emulator advises on long-running operations.</summary>
    public int AsyncRetryAfterSeconds { get; set; } = 1;
}
