using System.Text.Json.Nodes;

namespace Provisioning.Soak;

/// <summary>What became of an event's deliveries to the host, from the emulator's delivery log.</summary>
internal enum DeliveryState
{
    /// <summary>The emulator raised no event for the workload (yet).</summary>
    NoEvent,

    /// <summary>Raised, but never attempted: no subscription was active when it was raised.</summary>
    NeverAttempted,

    /// <summary>An attempt failed and another is due.</summary>
    Retrying,

    /// <summary>The host answered 2xx.</summary>
    Delivered,

    /// <summary>Given up.</summary>
    DeadLettered,
}

/// <summary>The ImagePushed event of each event workload and what its deliveries came to.</summary>
internal sealed class EventDeliveries
{
    private readonly Dictionary<string, (JsonObject Event, List<JsonObject> Attempts)> _byGroup = new(StringComparer.Ordinal);

    public EventDeliveries(IEnumerable<SoakWorkload> workloads, JsonArray events, JsonArray deliveries)
    {
        var byRepository = workloads.Where(w => w.Path == StartPath.Event).ToDictionary(w => w.Repository, StringComparer.Ordinal);
        var attempts = deliveries.OfType<JsonObject>().ToLookup(d => (string?)d["eventId"], StringComparer.Ordinal);
        foreach (var e in events.OfType<JsonObject>())
        {
            if ((string?)e["eventType"] == "Microsoft.ContainerRegistry.ImagePushed"
                && (string?)e["data"]?["target"]?["repository"] is { } repository
                && byRepository.TryGetValue(repository, out var workload))
            {
                _byGroup[workload.Group] = (e, attempts[(string?)e["id"]].ToList());
            }
        }
    }

    public DeliveryState StateOf(SoakWorkload workload)
    {
        if (!_byGroup.TryGetValue(workload.Group, out var entry))
        {
            return DeliveryState.NoEvent;
        }

        var outcomes = entry.Attempts.Select(a => (string?)a["outcome"]).ToList();
        return outcomes.Contains("Delivered") ? DeliveryState.Delivered
            : outcomes.Contains("DeadLettered") ? DeliveryState.DeadLettered
            : outcomes.Count == 0 ? DeliveryState.NeverAttempted
            : DeliveryState.Retrying;
    }

    /// <summary>When the workload's event was raised.</summary>
    public DateTimeOffset? RaisedAt(SoakWorkload workload) => _byGroup.TryGetValue(workload.Group, out var entry) ? (DateTimeOffset?)entry.Event["eventTime"] : null;

    /// <summary>Whether a run may still come for the workload: its event is not raised yet, or a delivery is still due.</summary>
    public bool MayStillStart(SoakWorkload workload, DateTimeOffset now) => StateOf(workload) switch
    {
        DeliveryState.NoEvent or DeliveryState.Retrying => true,

        // Deliveries are queued when the event is raised; give the emulator's workers time to try the first one.
        DeliveryState.NeverAttempted => now - RaisedAt(workload) < TimeSpan.FromSeconds(30),
        _ => false,
    };

    /// <summary>One line on the workload's event for a report.</summary>
    public string Describe(SoakWorkload workload) => _byGroup.TryGetValue(workload.Group, out var entry)
        ? $"its ImagePushed event {(string?)entry.Event["id"]} raised at {(DateTimeOffset?)entry.Event["eventTime"]:HH:mm:ss.fff} is {StateOf(workload)} after {entry.Attempts.Count} attempt(s)"
            + (entry.Attempts.Count == 0 ? " (no active subscription when it was raised)" : string.Empty)
        : "the emulator raised no event for its push";
}
