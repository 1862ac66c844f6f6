using System.Text.Json.Nodes;
using Provisioning.Rules;

namespace Provisioning.Soak;

/// <summary>
/// Compares what the runs came to (the host's store) with what "Azure" holds (the emulator's inventory, each resource read
/// through ARM for its ownership tag or principal). Every figure that misses its goal comes with the runs and resources
/// behind it in <see cref="Problems"/>.
/// </summary>
internal sealed class SoakAudit
{
    public const string OwnershipTag = "provisioning.run";
    public const string IdentityType = "Microsoft.ManagedIdentity/userAssignedIdentities";
    public const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    public const string ContainerGroupType = "Microsoft.ContainerInstance/containerGroups";

    public List<string> Problems { get; } = [];

    public int RunsInStore { get; private set; }

    public int Completed { get; private set; }

    public int Failed { get; private set; }

    public int Terminated { get; private set; }

    public int NotFinished { get; private set; }

    public int NeverStarted { get; private set; }

    public int ForcedFailures { get; private set; }

    public int UnexpectedOutcomes { get; private set; }

    public int ResourcesAudited { get; private set; }

    public int SuccessfulRunsExactlyOnce { get; private set; }

    public int MissingResources { get; private set; }

    public int DuplicatedResources { get; private set; }

    public int LeftByFailedRuns { get; private set; }

    public int WithoutOwnerRun { get; private set; }

    public int Events { get; private set; }

    public int EventsWithOneRun { get; private set; }

    public int ExtraRunsPerEvent { get; private set; }

    /// <summary>Event workloads without a run whose event the host never answered 2xx for.</summary>
    public int EventsNeverDelivered { get; private set; }

    public int Lost => NeverStarted + MissingResources;

    public int Leaked => LeftByFailedRuns + WithoutOwnerRun;

    public int Duplicated => DuplicatedResources + ExtraRunsPerEvent;

    /// <summary>The run of each workload (event runs: the runs in its lane).</summary>
    public static IReadOnlyList<HostRun> RunsOf(SoakWorkload workload, IReadOnlyList<HostRun> runs, string subscriptionId) => workload.Path == StartPath.Http
        ? runs.Where(r => r.InstanceId == workload.HttpInstanceId).ToList()
        : runs.Where(r => r.InstanceId.StartsWith(RunIds.WorkloadPrefix(subscriptionId, SoakPlan.ResourceGroup, workload.Group), StringComparison.Ordinal)).ToList();

    public void CheckRuns(IReadOnlyList<SoakWorkload> workloads, IReadOnlyList<HostRun> runs, string subscriptionId, EventDeliveries deliveries)
    {
        RunsInStore = runs.Count;
        foreach (var workload in workloads)
        {
            ForcedFailures += workload.ForcedToFail ? 1 : 0;
            var own = RunsOf(workload, runs, subscriptionId);
            if (own.Count == 0)
            {
                NeverStarted++;
                if (workload.Path == StartPath.Event)
                {
                    EventsNeverDelivered += deliveries.StateOf(workload) == DeliveryState.Delivered ? 0 : 1;
                }

                Problems.Add($"lost: workload {workload.Group} ({workload.Path}) has no run in the store{(workload.Path == StartPath.Event ? "; " + deliveries.Describe(workload) : string.Empty)}");
                continue;
            }

            foreach (var run in own)
            {
                switch (run.RuntimeStatus)
                {
                    case "Completed":
                        Completed++;
                        break;
                    case "Failed":
                        Failed++;
                        break;
                    case "Terminated":
                        Terminated++;
                        break;
                    default:
                        NotFinished++;
                        Problems.Add($"not finished: run {run.InstanceId} is {run.RuntimeStatus}: {Phase(run)}");
                        continue;
                }

                var expected = workload.ForcedToFail ? "Failed" : "Completed";
                var superseded = run.Output is JsonObject output && output["supersededBy"] is JsonValue;
                if (run.RuntimeStatus != expected || superseded)
                {
                    UnexpectedOutcomes++;
                    Problems.Add($"unexpected outcome: run {run.InstanceId} ({(workload.ForcedToFail ? "forced to fail" : "should succeed")}) ended {run.RuntimeStatus}{(superseded ? " (superseded)" : string.Empty)}: {Shorten(run.Output?.ToJsonString())}");
                }
            }
        }
    }

    /// <summary>Every identity, role assignment and container group the soak's runs could have made, with its owner run.</summary>
    public void CheckResources(IReadOnlyList<AuditedResource> resources, IReadOnlyList<HostRun> runs)
    {
        ResourcesAudited = resources.Count;
        var byId = runs.ToDictionary(r => r.InstanceId, StringComparer.Ordinal);
        var ownerOfPrincipal = resources.Where(r => r.Type == IdentityType && r.PrincipalId is not null)
            .ToDictionary(r => r.PrincipalId!, r => r.OwnerTag, StringComparer.OrdinalIgnoreCase);
        var perRun = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            // A role assignment carries no tags: it belongs to the run that owns the identity it grants.
            var owner = resource.Type == RoleAssignmentType
                ? (resource.PrincipalId is { } principal ? ownerOfPrincipal.GetValueOrDefault(principal) : null)
                : resource.OwnerTag;
            if (owner is null || !byId.TryGetValue(owner, out var run))
            {
                WithoutOwnerRun++;
                Problems.Add($"no owner run: {resource.Id} ({(owner is null ? resource.Type == RoleAssignmentType ? $"its principal {resource.PrincipalId} is no existing identity" : "no ownership tag" : $"tagged {owner}, which is no run in the store")})");
                continue;
            }

            if (run.RuntimeStatus != "Completed")
            {
                LeftByFailedRuns++;
                Problems.Add($"left by a failed run: {resource.Id} belongs to {owner}, which is {run.RuntimeStatus}: {Shorten(run.Output?.ToJsonString())}");
                continue;
            }

            var counts = perRun.TryGetValue(owner, out var c) ? c : perRun[owner] = new Dictionary<string, int>(StringComparer.Ordinal);
            counts[resource.Type] = counts.GetValueOrDefault(resource.Type) + 1;
        }

        foreach (var run in runs.Where(r => r.RuntimeStatus == "Completed" && r.Output is JsonObject o && o["supersededBy"] is null))
        {
            var counts = perRun.GetValueOrDefault(run.InstanceId) ?? [];
            var exact = true;
            foreach (var type in new[] { IdentityType, RoleAssignmentType, ContainerGroupType })
            {
                var count = counts.GetValueOrDefault(type);
                if (count == 0)
                {
                    MissingResources++;
                    Problems.Add($"lost resource: run {run.InstanceId} succeeded but no {type} of it exists");
                }
                else if (count > 1)
                {
                    DuplicatedResources += count - 1;
                    Problems.Add($"duplicated: run {run.InstanceId} has {count} resources of type {type}");
                }

                exact &= count == 1;
            }

            SuccessfulRunsExactlyOnce += exact ? 1 : 0;
        }
    }

    /// <summary>Each ImagePushed event the soak caused must have started exactly one run, the one whose id the event gives.</summary>
    public void CheckEvents(IReadOnlyList<SoakWorkload> workloads, JsonArray events, IReadOnlyList<HostRun> runs, string subscriptionId)
    {
        var byRepository = workloads.Where(w => w.Path == StartPath.Event).ToDictionary(w => w.Repository, StringComparer.Ordinal);
        var eventsPerWorkload = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in events.OfType<JsonObject>())
        {
            if ((string?)e["eventType"] != "Microsoft.ContainerRegistry.ImagePushed"
                || (string?)e["data"]?["target"]?["repository"] is not { } repository
                || !byRepository.TryGetValue(repository, out var workload))
            {
                continue;
            }

            Events++;
            eventsPerWorkload[workload.Group] = eventsPerWorkload.GetValueOrDefault(workload.Group) + 1;
            var expected = RunIds.For(subscriptionId, SoakPlan.ResourceGroup, workload.Group, new RunCause((string)e["id"]!, (string?)e["topic"] ?? string.Empty, (DateTimeOffset?)e["eventTime"]));
            var lane = RunsOf(workload, runs, subscriptionId);
            if (lane.Count > 1)
            {
                ExtraRunsPerEvent += lane.Count - 1;
                Problems.Add($"runs per event: event {(string?)e["id"]} ({repository}) started {lane.Count} runs: {string.Join(", ", lane.Select(r => r.InstanceId))}");
            }
            else if (lane.Count == 1 && !string.Equals(Suffix(lane[0].InstanceId), Suffix(expected), StringComparison.Ordinal))
            {
                Problems.Add($"runs per event: the run of {repository} is {lane[0].InstanceId}, not the id its event gives ({expected})");
            }
            else if (lane.Count == 1)
            {
                EventsWithOneRun++;
            }
        }

        foreach (var (group, count) in eventsPerWorkload.Where(p => p.Value != 1))
        {
            Problems.Add($"the emulator raised {count} ImagePushed events for {group}, the soak pushed one");
        }
    }

    private static string Suffix(string runId) => runId[(runId.LastIndexOf('-') + 1)..];

    private static string Phase(HostRun run) => run.CustomStatus?["phase"]?.ToString() is { } phase
        ? $"phase {phase}, {Shorten(run.CustomStatus?["message"]?.ToString())}"
        : "no status yet";

    private static string Shorten(string? text) => text is null ? "(none)" : text.Length > 400 ? text[..400] + "…" : text;
}
