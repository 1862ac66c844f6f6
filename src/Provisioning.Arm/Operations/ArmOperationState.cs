namespace Provisioning.Arm.Operations;

/// <summary>The state of a long-running ARM operation.</summary>
public enum ArmOperationState
{
    /// <summary>Still running: poll again after the advised delay.</summary>
    InProgress,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Canceled.</summary>
    Canceled,
}
