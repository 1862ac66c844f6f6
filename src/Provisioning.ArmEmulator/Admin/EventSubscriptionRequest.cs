using Provisioning.ArmEmulator.EventGrid;

namespace Provisioning.ArmEmulator.Admin;

/// <summary>Body of <c>PUT /_emulator/eventSubscriptions/{name}</c>.</summary>
/// <param name="Endpoint">Loopback webhook URL.</param>
/// <param name="Schema"><c>EventGridSchema</c> (default) or <c>CloudEventSchemaV1_0</c>.</param>
/// <param name="Scope">Source scope (resource id), or null for every event.</param>
/// <param name="IncludedEventTypes">Event types to deliver, or null for all.</param>
/// <param name="SubjectBeginsWith">Subject prefix filter.</param>
/// <param name="SubjectEndsWith">Subject suffix filter.</param>
/// <param name="IsSubjectCaseSensitive">Whether subject filters are case-sensitive.</param>
/// <param name="MaxDeliveryAttempts">Attempts before dead-lettering (default 30).</param>
public sealed record EventSubscriptionRequest(
    Uri Endpoint,
    EventDeliverySchema Schema = EventDeliverySchema.EventGridSchema,
    string? Scope = null,
    IReadOnlyList<string>? IncludedEventTypes = null,
    string? SubjectBeginsWith = null,
    string? SubjectEndsWith = null,
    bool IsSubjectCaseSensitive = false,
    int MaxDeliveryAttempts = 30)
{
    /// <summary>The subscription this request describes.</summary>
    public EventSubscription ToSubscription(string name) => new()
    {
        Name = name,
        Endpoint = Endpoint,
        Schema = Schema,
        Scope = Scope,
        IncludedEventTypes = IncludedEventTypes,
        SubjectBeginsWith = SubjectBeginsWith,
        SubjectEndsWith = SubjectEndsWith,
        IsSubjectCaseSensitive = IsSubjectCaseSensitive,
        MaxDeliveryAttempts = MaxDeliveryAttempts,
    };
}
