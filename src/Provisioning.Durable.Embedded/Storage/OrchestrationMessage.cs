using Provisioning.Durable.Embedded.History;

namespace Provisioning.Durable.Embedded.Storage;

/// <summary>A history event on its way to an instance: queued until it is visible, then consumed by one episode.</summary>
/// <param name="Id">The store's id (0 before it is stored); ids order the messages of an instance.</param>
/// <param name="InstanceId">The receiving instance.</param>
/// <param name="ExecutionId">The generation it is meant for; <c>null</c> for client messages, which go to whichever runs.</param>
/// <param name="Event">The event it delivers.</param>
/// <param name="VisibleAt">Not delivered before this time (durable timers, delayed starts).</param>
internal sealed record OrchestrationMessage(long Id, string InstanceId, string? ExecutionId, HistoryEvent Event, DateTimeOffset VisibleAt);
