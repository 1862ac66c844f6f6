namespace Provisioning.EventGrid;

/// <summary>The answer to Event Grid's validation handshake: <c>{"validationResponse": code}</c>.</summary>
/// <param name="ValidationResponse">The validation code the handshake event carried.</param>
public sealed record SubscriptionValidationResponse(string ValidationResponse);
