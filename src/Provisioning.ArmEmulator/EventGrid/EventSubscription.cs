namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>An Event Grid subscription to the emulator's events.</summary>
public sealed record EventSubscription
{
    /// <summary>Subscription name (unique).</summary>
    public required string Name { get; init; }

    /// <summary>Webhook endpoint; must be a loopback http(s) address.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>Delivery schema.</summary>
    public EventDeliverySchema Schema { get; init; } = EventDeliverySchema.EventGridSchema;

    /// <summary>Source scope: events whose topic or subject is at or below this resource id (null: every event).</summary>
    public string? Scope { get; init; }

    /// <summary>Event types to deliver (null or empty: all).</summary>
    public IReadOnlyList<string>? IncludedEventTypes { get; init; }

    /// <summary>Deliver only subjects starting with this.</summary>
    public string? SubjectBeginsWith { get; init; }

    /// <summary>Deliver only subjects ending with this.</summary>
    public string? SubjectEndsWith { get; init; }

    /// <summary>Whether the subject filters are case-sensitive.</summary>
    public bool IsSubjectCaseSensitive { get; init; }

    /// <summary>Delivery attempts before an event is dead-lettered (Event Grid's default is 30).</summary>
    public int MaxDeliveryAttempts { get; init; } = 30;

    /// <summary>Time to live of an event (Event Grid's default is 24 hours).</summary>
    public TimeSpan EventTimeToLive { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Creating, Succeeded (handshake passed) or Failed (handshake failed). Set by the emulator.</summary>
    public string ProvisioningState { get; init; } = "Creating";

    /// <summary>Why the handshake failed, when it did. Set by the emulator.</summary>
    public string? Error { get; init; }

    /// <summary>Whether an event passes this subscription's scope and filters.</summary>
    public bool Matches(EmulatorEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Scope is { Length: > 0 } scope && !State.ResourceStore.IsAtOrBelow(e.Topic, scope) && !State.ResourceStore.IsAtOrBelow(e.Subject, scope))
        {
            return false;
        }

        if (IncludedEventTypes is { Count: > 0 } types && !types.Contains(e.EventType, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        var comparison = IsSubjectCaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return (string.IsNullOrEmpty(SubjectBeginsWith) || e.Subject.StartsWith(SubjectBeginsWith, comparison))
            && (string.IsNullOrEmpty(SubjectEndsWith) || e.Subject.EndsWith(SubjectEndsWith, comparison));
    }
}
