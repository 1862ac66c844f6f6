using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerRegistry;

/// <summary>A run of <c>Microsoft.ContainerRegistry/registries/runs</c> as ARM returns it.</summary>
/// <param name="Id">The run's resource id (<c>…/registries/{r}/runs/{runId}</c>).</param>
/// <param name="RunId">The run id, e.g. <c>ca1</c>.</param>
/// <param name="Status">The status.</param>
/// <param name="StatusText">The status exactly as ARM wrote it (for statuses this client does not know).</param>
/// <param name="RunType">QuickBuild, QuickRun, AutoBuild or AutoRun, if reported.</param>
/// <param name="TaskName">The task's name, for a task run.</param>
/// <param name="CreateTime">When the run was queued.</param>
/// <param name="StartTime">When it started, once it has.</param>
/// <param name="FinishTime">When it ended, once it has.</param>
/// <param name="OutputImages">The images it pushed (empty until it succeeds, and for runs that push nothing).</param>
/// <param name="RunErrorMessage">ACR's error text for a failed run. ACR reports a failed step, login or pull as
/// <c>failed during run, err: exit status 1</c>: the reason is in the run log, not here.</param>
public sealed record RegistryRun(
    ArmResourceId Id,
    string RunId,
    RegistryRunStatus Status,
    string? StatusText,
    string? RunType,
    string? TaskName,
    DateTimeOffset? CreateTime,
    DateTimeOffset? StartTime,
    DateTimeOffset? FinishTime,
    IReadOnlyList<RegistryImageDescriptor> OutputImages,
    string? RunErrorMessage)
{
    /// <summary>When ARM last changed the run, if reported.</summary>
    public DateTimeOffset? LastUpdatedTime { get; init; }

    /// <summary>Whether the run has ended (Succeeded, Failed, Canceled, Error or Timeout): its status will not change again.</summary>
    public bool IsTerminal => Status is RegistryRunStatus.Succeeded or RegistryRunStatus.Failed or RegistryRunStatus.Canceled or RegistryRunStatus.Error or RegistryRunStatus.Timeout;

    /// <summary>Start to finish, once both are known.</summary>
    public TimeSpan? Duration => StartTime is { } start && FinishTime is { } finish ? finish - start : null;
}
