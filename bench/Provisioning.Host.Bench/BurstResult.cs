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
    bool MeetsGoal);
