namespace Provisioning.Host.Dashboard;

/// <summary>One bar of a run's timeline: an activity call, a durable wait (timer) or an event the run received.</summary>
/// <param name="Kind"><c>activity</c>, <c>wait</c> or <c>event</c>.</param>
/// <param name="Name">The activity or event name; for a wait, what it follows.</param>
/// <param name="Start">When it was scheduled or received.</param>
/// <param name="End">When it finished; null while it goes on.</param>
/// <param name="Outcome"><c>completed</c>, <c>failed</c>, <c>running</c> (still going), <c>waiting</c> (timer not yet fired), <c>fired</c>, <c>abandoned</c> (the run ended before the timer fired) or <c>received</c>.</param>
/// <param name="Detail">What it was about: the resource an activity worked on, a failure's message, a wait's due time.</param>
/// <param name="DueAt">For a wait: when the timer fires.</param>
public sealed record TimelineStep(string Kind, string Name, DateTimeOffset Start, DateTimeOffset? End, string Outcome, string? Detail, DateTimeOffset? DueAt = null);
