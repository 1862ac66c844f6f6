namespace Provisioning.Durable.Embedded.Storage;

/// <summary>What <see cref="IInstanceStore.CompleteActivityWithEpisodeAsync"/> did.</summary>
internal enum ActivityEpisodeResult
{
    /// <summary>The call and the episode committed together.</summary>
    Committed,

    /// <summary>The instance had moved on: the outcome was queued as a message instead.</summary>
    Queued,

    /// <summary>The call's lease was lost: nothing was written.</summary>
    LeaseLost,
}
