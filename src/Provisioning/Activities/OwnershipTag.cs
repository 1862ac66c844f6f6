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
}
