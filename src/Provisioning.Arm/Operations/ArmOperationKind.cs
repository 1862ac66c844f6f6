namespace Provisioning.Arm.Operations;

/// <summary>What a long-running ARM operation does; decides how a handle without status URLs is polled.</summary>
public enum ArmOperationKind
{
    /// <summary>Create or update (PUT): done when the resource's <c>provisioningState</c> is terminal.</summary>
    CreateOrUpdate,

    /// <summary>Delete: done when the resource is gone.</summary>
    Delete,

    /// <summary>A POST action (restart, scheduleRun): done only through its status URLs.</summary>
    Action,
}
