namespace Provisioning.Durable;

/// <summary>What an activity sees of the orchestration that scheduled it.</summary>
/// <param name="Name">The activity's registered name.</param>
/// <param name="InstanceId">The id of the orchestration instance that scheduled it.</param>
/// <param name="TaskId">The activity's sequence number in that orchestration; with the instance id it names the call
/// uniquely, which makes it a good idempotency key for work that must not happen twice.</param>
/// <param name="CancellationToken">Signalled when the host shuts down; the activity is then retried after restart.</param>
public sealed record ActivityContext(string Name, string InstanceId, int TaskId, CancellationToken CancellationToken);
