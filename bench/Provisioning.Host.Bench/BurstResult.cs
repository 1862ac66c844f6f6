namespace Provisioning.Host.Bench;

/// <summary>The figures of a burst (the last line of the output, as JSON).</summary>
internal sealed record BurstResult(
    int Deliveries,
    int UniqueEvents,
    int DuplicateDeliveries,
    int Concurrency,
    int Accepted,
    double ElapsedMs,
    double EventsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    int StartedReported,
    int DuplicatesReported,
    int RunsInStore,
    bool RunsEqualUniqueIds,
    bool MeetsGoal,
    BurstDrain Drain);

/// <summary>What the runs of the burst came to once all finished.</summary>
/// <param name="Seconds">From the first delivery until every run finished.</param>
/// <param name="Deployed">Runs that deployed (completed, not superseded).</param>
/// <param name="Superseded">Runs that ended superseded by a newer push, changing nothing.</param>
/// <param name="Failed">Runs that failed.</param>
/// <param name="Unfinished">Runs still going when the bench stopped waiting.</param>
/// <param name="DeployedImage">The container group's image at the end.</param>
/// <param name="NewestImage">The image of the newest push.</param>
internal sealed record BurstDrain(double Seconds, int Deployed, int Superseded, int Failed, int Unfinished, string? DeployedImage, string NewestImage);
