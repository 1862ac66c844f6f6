namespace Provisioning.Arm.ContainerRegistry;

/// <summary>
/// A run's <c>properties.status</c> (ACR's RunStatus). <see cref="Succeeded"/>, <see cref="Failed"/>,
/// <see cref="Canceled"/>, <see cref="Error"/> and <see cref="Timeout"/> are terminal.
/// </summary>
public enum RegistryRunStatus
{
    /// <summary>A value this client does not know (the raw text is kept in <see cref="RegistryRun.StatusText"/>).</summary>
    Unknown,

    /// <summary><c>Queued</c>: waiting for an agent.</summary>
    Queued,

    /// <summary><c>Started</c>.</summary>
    Started,

    /// <summary><c>Running</c>.</summary>
    Running,

    /// <summary><c>Succeeded</c>.</summary>
    Succeeded,

    /// <summary><c>Failed</c>: a step, a login or a pull failed (<c>runErrorMessage</c> says little; the log says why).</summary>
    Failed,

    /// <summary><c>Canceled</c>.</summary>
    Canceled,

    /// <summary><c>Error</c>: the service could not run it.</summary>
    Error,

    /// <summary><c>Timeout</c>: the task's <c>timeout</c> elapsed.</summary>
    Timeout,
}
