namespace Provisioning.Host.Dashboard;

/// <summary>A workload's lane: the runs that deploy one container group, newest first, and what is deployed now.</summary>
/// <param name="Lane">The lane's run id prefix, <c>{subscription}:{resourceGroup}:{workload}:</c>.</param>
/// <param name="ResourceGroup">The resource group.</param>
/// <param name="Workload">The container group's name.</param>
/// <param name="Current">The newest run that succeeded: what the lane deployed last; null when none has.</param>
/// <param name="CurrentImage">The first container's image of that run.</param>
/// <param name="CurrentContainerGroupId">The container group that run left running.</param>
/// <param name="Going">How many of its runs are still going.</param>
/// <param name="Runs">Its runs, newest first.</param>
/// <param name="Drift">What the last drift run found for its workload and its repair; null when that run found nothing here (or none ran).</param>
public sealed record WorkloadLane(
    string Lane,
    string ResourceGroup,
    string Workload,
    RunSummary? Current,
    string? CurrentImage,
    string? CurrentContainerGroupId,
    int Going,
    IReadOnlyList<RunSummary> Runs,
    LaneDrift? Drift = null);
