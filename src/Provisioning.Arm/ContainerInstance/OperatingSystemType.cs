namespace Provisioning.Arm.ContainerInstance;

/// <summary>The operating system of a group's containers.</summary>
public enum OperatingSystemType
{
    /// <summary>Linux.</summary>
    Linux,

    /// <summary>Windows (managed identity: user-assigned only).</summary>
    Windows,
}
