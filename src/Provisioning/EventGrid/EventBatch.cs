using Provisioning.Rules.Matching;

namespace Provisioning.EventGrid;

/// <summary>A delivery, read and checked: either a validation handshake or the events the rules understand.</summary>
/// <param name="ValidationCode">The code of a subscription-validation event, to echo back; null for notifications.</param>
/// <param name="Events">The events the rules understand, in delivery order.</param>
/// <param name="Ignored">The well-formed events of types the rules do not react to, as (id, type).</param>
internal sealed record EventBatch(string? ValidationCode, IReadOnlyList<(RuleEvent Event, string Type)> Events, IReadOnlyList<(string Id, string Type)> Ignored);
