using Provisioning.Arm.ContainerRegistry;

namespace Provisioning.Workloads.RegistryTasks;

/// <summary>A task run as the history keeps it.</summary>
/// <param name="RunId">The run id, e.g. <c>ca1</c>.</param>
/// <param name="Status">ACR's status: Queued, Started, Running, Succeeded, Failed, Canceled, Error, Timeout.</param>
/// <param name="IsTerminal">Whether the run has ended.</param>
/// <param name="ErrorMessage">ACR's <c>runErrorMessage</c>, when it failed.</param>
/// <param name="DurationSeconds">From start to finish, once finished.</param>
/// <param name="OutputImages">The images the run pushed (<c>registry/repository:tag</c>).</param>
public sealed record RegistryTaskRunState(string RunId, string Status, bool IsTerminal, string? ErrorMessage, double? DurationSeconds, IReadOnlyList<string> OutputImages)
{
    /// <summary>Whether the run succeeded.</summary>
    public bool Succeeded => Status == nameof(RegistryRunStatus.Succeeded);

    /// <summary>The state of a run read from ACR.</summary>
    /// <param name="run">The run.</param>
    public static RegistryTaskRunState Of(RegistryRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new RegistryTaskRunState(
            run.RunId,
            run.Status == RegistryRunStatus.Unknown ? run.StatusText ?? "Unknown" : run.Status.ToString(),
            run.IsTerminal,
            run.RunErrorMessage,
            run.Duration?.TotalSeconds,
            run.OutputImages.Select(image => image.Reference).ToArray());
    }
}
