namespace Provisioning.Arm.ContainerInstance;

/// <summary>A port's protocol (ARM text <c>TCP</c> / <c>UDP</c>).</summary>
public enum TransportProtocol
{
    /// <summary>TCP.</summary>
    Tcp,

    /// <summary>UDP.</summary>
    Udp,
}
