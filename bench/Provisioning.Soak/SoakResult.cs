namespace Provisioning.Soak;

/// <summary>The soak's figures, printed as the last line (camelCase JSON).</summary>
internal sealed record SoakResult(
    int Runs,
    bool HostSubscribes,
    int StartedOverHttp,
    int StartedByEvents,
    int ForcedToFail,
    int Kills,
    int HostStarts,
    int HostSelfExits,
    double RecoveryMedianSeconds,
    double RecoveryMaxSeconds,
    int HttpStartRetries,
    int HttpStartsAnswered409,
    int RunsInStore,
    int Completed,
    int Failed,
    int Terminated,
    int UnexpectedOutcomes,
    int NotFinished,
    int Lost,
    int Leaked,
    int Duplicated,
    int SuccessfulRunsResourcesExactlyOnce,
    int MissingResources,
    int DuplicatedResources,
    int ResourcesLeftByFailedRuns,
    int ResourcesWithoutOwnerRun,
    int ResourcesAudited,
    int Events,
    int EventsWithExactlyOneRun,
    int ExtraRunsPerEvent,
    int EventsNeverDelivered,
    int ArmRequests,
    int Throttled429,
    int Injected5xx,
    int PrincipalNotFound,
    int PullRefusals,
    int DeliveriesRetried,
    int DuplicateDeliveries,
    int DeadLettered,
    double LastRestartSeconds,
    double WallSeconds)
{
    /// <summary>Every goal of the issue: nothing unfinished or lost, a successful run's resources exactly once, nothing left by a
    /// failed run or without an owner, one run per event id.</summary>
    public bool GoalsMet => NotFinished == 0 && Lost == 0 && Leaked == 0 && Duplicated == 0
        && Events == StartedByEvents && EventsWithExactlyOneRun == Events;
}
