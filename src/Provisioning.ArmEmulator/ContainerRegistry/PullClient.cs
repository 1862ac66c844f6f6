namespace Provisioning.ArmEmulator.ContainerRegistry;

/// <summary>Which service pulls; it decides the registry policies that apply.</summary>
internal enum PullClient
{
    /// <summary>Azure Container Instances (a trusted service; uses ACR-audience tokens).</summary>
    ContainerInstances,

    /// <summary>Azure Container Apps (not a trusted service; uses ARM-audience tokens).</summary>
    ContainerApps,

    /// <summary>ACR Tasks (a trusted service).</summary>
    RegistryTasks,
}
