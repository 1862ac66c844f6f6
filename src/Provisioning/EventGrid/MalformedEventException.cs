namespace Provisioning.EventGrid;

/// <summary>A request or event that is not what Event Grid sends: answered 400 (dead-lettered by Event Grid), nothing started.</summary>
internal sealed class MalformedEventException(string message) : Exception(message);
