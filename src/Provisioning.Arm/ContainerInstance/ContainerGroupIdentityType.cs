namespace Provisioning.Arm.ContainerInstance;

/// <summary>The identity kinds of a container group (ARM's <c>identity.type</c>).</summary>
public enum ContainerGroupIdentityType
{
    /// <summary><c>None</c>.</summary>
    None,

    /// <summary><c>SystemAssigned</c>.</summary>
    SystemAssigned,

    /// <summary><c>UserAssigned</c>.</summary>
    UserAssigned,

    /// <summary><c>SystemAssigned, UserAssigned</c>.</summary>
    SystemAssignedUserAssigned,
}
