namespace Provisioning.Host.Configuration;

/// <summary>What the host provisions into (<c>Provisioning:Mode</c>).</summary>
public enum ProvisioningMode
{
    /// <summary>The sandbox: the ARM emulator, in the host or external (<c>Provisioning:Sandbox:EmulatorUrl</c>).</summary>
    Sandbox,

    /// <summary>Azure, with <c>DefaultAzureCredential</c>, into <c>Provisioning:Azure:SubscriptionId</c>.</summary>
    Azure,
}
