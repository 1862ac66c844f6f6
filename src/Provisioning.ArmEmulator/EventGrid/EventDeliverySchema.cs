namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>How events are delivered to a webhook.</summary>
public enum EventDeliverySchema
{
    /// <summary>Event Grid schema: a JSON array of events, validation handshake by a validation event.</summary>
    EventGridSchema,

#pragma warning disable CA1707 // Named as Event Grid names the schema.
    /// <summary>CloudEvents 1.0 structured mode, validation handshake by an HTTP OPTIONS abuse-protection request.</summary>
    CloudEventSchemaV1_0,
#pragma warning restore CA1707
}
