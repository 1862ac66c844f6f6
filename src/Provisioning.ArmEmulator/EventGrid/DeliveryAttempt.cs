namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>One attempt to deliver an event to a subscription.</summary>
/// <param name="Subscription">Subscription name.</param>
/// <param name="EventId">Event id.</param>
/// <param name="EventType">Event type.</param>
/// <param name="Attempt">1-based delivery count.</param>
/// <param name="Time">When it was attempted.</param>
/// <param name="Status">HTTP status received (0 when no response).</param>
/// <param name="Outcome">Delivered, Retrying, DeadLettered, or Duplicate (an extra copy after success).</param>
public sealed record DeliveryAttempt(string Subscription, string EventId, string EventType, int Attempt, DateTimeOffset Time, int Status, string Outcome);
