namespace Provisioning.Arm.ContainerRegistry;

/// <summary>The identity kinds of an ACR task (ARM's <c>identity.type</c> on <c>registries/tasks</c>).</summary>
public enum RegistryTaskIdentityType
{
    /// <summary><c>None</c>.</summary>
    None,

    /// <summary><c>SystemAssigned</c>: the task's own principal, created with the task and deleted with it.</summary>
    SystemAssigned,

    /// <summary><c>UserAssigned</c>.</summary>
    UserAssigned,

    /// <summary><c>SystemAssigned, UserAssigned</c>.</summary>
    SystemAssignedUserAssigned,
}
