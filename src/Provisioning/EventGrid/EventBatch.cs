using Provisioning.Rules.Matching;

namespace Provisioning.EventGrid;

/// <summary>A delivery, read and checked: either a validation handshake or the events the rules understand.</summary>
/// <param name="ValidationCode">The code of a subscription-validation event, to echo back; null for notifications.</param>
/// <param name="Events">The events the rules understand, in delivery order.</param>
/// <param name="Ignored">The well-formed events of types the rules do not react to, as (id, type).</param>
internal sealed record EventBatch(string? ValidationCode, IReadOnlyList<(RuleEvent Event, string Type)> Events, IReadOnlyList<(string Id, string Type)> Ignored)
{
    /// <summary>The malformed events of the delivery, refused one by one; the others are handled.</summary>
    public IReadOnlyList<RefusedEvent> Refused { get; init; } = [];
}

/// <summary>An event of a delivery that was refused: its position, its id when it has one, and why.</summary>
/// <param name="Index">The event's position in the delivery (0 for a single event).</param>
/// <param name="Id">The event's <c>id</c>, or null when it has none that is a string.</param>
/// <param name="Reason">What is wrong with it.</param>
public sealed record RefusedEvent(int Index, string? Id, string Reason);
