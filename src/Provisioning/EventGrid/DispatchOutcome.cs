namespace Provisioning.EventGrid;

/// <summary>What a delivery did: the 200 body of the webhook.</summary>
/// <param name="Received">Events in the delivery, refused ones included.</param>
/// <param name="Started">Runs started (instance ids).</param>
/// <param name="Duplicates">Runs that already existed: the event was delivered before.</param>
/// <param name="Forgotten">Runs ended and purged because their resource group was deleted.</param>
/// <param name="Skipped">Rule matches that could not start a run (unknown template, parameters that do not bind), with the reason.</param>
/// <param name="Unmatched">Event ids no rule reacted to.</param>
public sealed record DispatchOutcome(
    int Received,
    IReadOnlyList<string> Started,
    IReadOnlyList<string> Duplicates,
    IReadOnlyList<string> Forgotten,
    IReadOnlyList<string> Skipped,
    IReadOnlyList<string> Unmatched)
{
    /// <summary>Malformed events that were refused one by one (the others of the delivery were handled), with the reason.</summary>
    public IReadOnlyList<RefusedEvent> Refused { get; init; } = [];
}
