namespace Provisioning.Rules;

/// <summary>The event a run is started for: what makes its id (see <see cref="RunIds"/>).</summary>
/// <param name="EventId">The event id.</param>
/// <param name="Source">The event's topic or source (empty when absent).</param>
/// <param name="Time">When the event happened; null when it does not say.</param>
public sealed record RunCause(string EventId, string Source, DateTimeOffset? Time);
