namespace Provisioning.Durable.Embedded.Storage;

/// <summary>
/// The JSON an <see cref="EpisodeCommit"/> writes, made on the caller's thread before the commit is queued: the
/// connection is held by one batch at a time, so whatever can be done outside it shortens every batch.
/// </summary>
/// <param name="History">Each appended history event, in order.</param>
/// <param name="Messages">Each message's event, in order.</param>
/// <param name="Failure">The new state's failure.</param>
internal sealed record EncodedEpisode(string[] History, string[] Messages, string? Failure)
{
    public static EncodedEpisode Of(EpisodeCommit commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var history = new string[commit.AppendedHistory.Count];
        for (var i = 0; i < history.Length; i++)
        {
            history[i] = StoreJson.Write(commit.AppendedHistory[i]);
        }

        var messages = new string[commit.Messages.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = StoreJson.Write(commit.Messages[i].Event);
        }

        return new EncodedEpisode(history, messages, StoreJson.WriteOptional(commit.State.Failure));
    }
}
