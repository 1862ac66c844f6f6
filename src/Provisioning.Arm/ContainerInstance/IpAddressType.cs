namespace Provisioning.Arm.ContainerInstance;

/// <summary>Whether the group's IP address is public or private.</summary>
public enum IpAddressType
{
    /// <summary>A public IP address.</summary>
    Public,

    /// <summary>A private IP address in a VNet subnet.</summary>
    Private,
}
