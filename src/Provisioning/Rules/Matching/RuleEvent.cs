namespace Provisioning.Rules.Matching;

/// <summary>
/// An event the rules understand, already checked and reduced to what they read (the webhook turns Event Grid and
/// CloudEvents into these).
/// </summary>
/// <param name="Id">The event id (Event Grid's <c>id</c>); with <paramref name="Source"/> it identifies the event across redeliveries.</param>
/// <param name="Source">The topic (Event Grid) or source (CloudEvents), or empty when absent.</param>
public abstract record RuleEvent(string Id, string Source)
{
    /// <summary>When the event happened (Event Grid's <c>eventTime</c>, CloudEvents' <c>time</c>); null when the event does not say.
    /// It orders the runs of one workload: a newer event's run supersedes an older one's.</summary>
    public DateTimeOffset? Time { get; init; }
}

/// <summary><c>Microsoft.ContainerRegistry.ImagePushed</c>.</summary>
/// <param name="Id">The event id.</param>
/// <param name="Source">The topic: the registry's resource id.</param>
/// <param name="RegistryName">The registry's name (from the topic), or null when the topic is absent.</param>
/// <param name="SubscriptionId">The registry's subscription (from the topic), or null.</param>
/// <param name="LoginServer">The login server the push went to (<c>data.request.host</c>).</param>
/// <param name="Repository">The repository.</param>
/// <param name="Tag">The tag, or null for a push by digest only.</param>
public sealed record ImagePushedEvent(
    string Id, string Source, string? RegistryName, string? SubscriptionId, string LoginServer, string Repository, string? Tag) : RuleEvent(Id, Source)
{
    /// <summary>The pushed image as a container pulls it: <c>{loginServer}/{repository}:{tag}</c>.</summary>
    public string Image => $"{LoginServer}/{Repository}:{Tag}";
}

/// <summary><c>Microsoft.Resources.ResourceWriteSuccess</c> whose subject is a resource group.</summary>
/// <param name="Id">The event id.</param>
/// <param name="Source">The topic.</param>
/// <param name="SubscriptionId">The group's subscription.</param>
/// <param name="ResourceGroup">The group's name.</param>
public sealed record ResourceGroupWrittenEvent(string Id, string Source, string SubscriptionId, string ResourceGroup) : RuleEvent(Id, Source);

/// <summary><c>Microsoft.Resources.ResourceDeleteSuccess</c> whose subject is a resource group.</summary>
/// <param name="Id">The event id.</param>
/// <param name="Source">The topic.</param>
/// <param name="SubscriptionId">The group's subscription.</param>
/// <param name="ResourceGroup">The group's name.</param>
public sealed record ResourceGroupDeletedEvent(string Id, string Source, string SubscriptionId, string ResourceGroup) : RuleEvent(Id, Source);
