namespace Provisioning.Activities;

/// <summary>
/// The tag that records which run created a resource. It makes "did this run create it?" answerable after a crash
/// between the create and the record of it, which is what lets compensation delete exactly what a run created.
/// </summary>
public static class OwnershipTag
{
    /// <summary>The tag name (ARM tag names may not contain <c>&lt;&gt;%&amp;\?/</c>).</summary>
    public const string Name = "provisioning.run";

    /// <summary>True when <paramref name="tags"/> name <paramref name="runId"/> as the creator.</summary>
    public static bool IsOwnedBy(IReadOnlyDictionary<string, string>? tags, string runId)
        => tags is not null && tags.TryGetValue(Name, out var owner) && string.Equals(owner, runId, StringComparison.Ordinal);

    /// <summary>
    /// The creator to write on a resource a run creates or updates: the run itself when the resource did not exist
    /// before it (or the run created it before a crash), else the mark the resource already carries (null when it has
    /// none), so that its creator's compensation still finds it after this run only updated it.
    /// </summary>
    /// <param name="runId">The run that sends the PUT.</param>
    /// <param name="existingTags">The resource's tags before the PUT; null when it does not exist.</param>
    /// <param name="existedBefore">Whether the resource existed before the run (see <see cref="IsOwnedBy"/>).</param>
    public static string? CreatorFor(string runId, IReadOnlyDictionary<string, string>? existingTags, bool existedBefore)
        => !existedBefore ? runId : existingTags?.GetValueOrDefault(Name);
}
