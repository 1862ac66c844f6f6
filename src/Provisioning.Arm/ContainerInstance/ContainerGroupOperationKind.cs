namespace Provisioning.Arm.ContainerInstance;

/// <summary>What a container group operation does.</summary>
public enum ContainerGroupOperationKind
{
    /// <summary>Create or update (PUT).</summary>
    CreateOrUpdate,

    /// <summary>Delete.</summary>
    Delete,
}
