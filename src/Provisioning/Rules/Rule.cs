using System.Text.Json.Nodes;

namespace Provisioning.Rules;

/// <summary>A rule of the rules file: which events it reacts to and what it does. See the three forms that derive from it.</summary>
/// <param name="Name">The rule's name (unique in the file; appears in logs and responses).</param>
/// <param name="SourceFile">The file it was loaded from.</param>
public abstract record Rule(string Name, string SourceFile);

/// <summary>
/// <c>on: ImagePushed</c>: a push to a matching registry, repository and tag redeploys <paramref name="Template"/> into
/// <paramref name="ResourceGroup"/> with the pushed image (<c>{loginServer}/{repository}:{tag}</c>) bound to
/// <paramref name="ImageParameter"/>, plus the fixed <paramref name="Parameters"/>.
/// </summary>
/// <param name="Name">The rule's name.</param>
/// <param name="SourceFile">The file it was loaded from.</param>
/// <param name="Registry">Matches the registry's name or its login server.</param>
/// <param name="Repository">Matches the repository.</param>
/// <param name="Tag">Matches the tag (pushes without a tag never match).</param>
/// <param name="Template">The template to deploy.</param>
/// <param name="ResourceGroup">The resource group to deploy into.</param>
/// <param name="SubscriptionId">The subscription, or null for the settings' default (else the registry's subscription).</param>
/// <param name="Location">The region for <c>[resourceGroup().location]</c>, or null to read it from the resource group.</param>
/// <param name="ImageParameter">The template parameter that receives the image.</param>
/// <param name="Parameters">Fixed parameter values.</param>
public sealed record ImagePushedRule(
    string Name,
    string SourceFile,
    GlobPattern Registry,
    GlobPattern Repository,
    GlobPattern Tag,
    string Template,
    string ResourceGroup,
    string? SubscriptionId,
    string? Location,
    string ImageParameter,
    IReadOnlyDictionary<string, JsonNode?> Parameters) : Rule(Name, SourceFile);

/// <summary>
/// <c>on: ResourceGroupWritten</c>: a resource group written with the tag <c>provisioning/template=&lt;name&gt;</c>
/// gets that template provisioned into it (in the group's location).
/// </summary>
/// <param name="Name">The rule's name.</param>
/// <param name="SourceFile">The file it was loaded from.</param>
/// <param name="ResourceGroup">Matches the group's name.</param>
/// <param name="SubscriptionId">Only groups of this subscription, or null for any.</param>
/// <param name="Templates">Which tag values (template names) are honoured.</param>
/// <param name="Parameters">Fixed parameter values.</param>
public sealed record ResourceGroupTaggedRule(
    string Name,
    string SourceFile,
    GlobPattern ResourceGroup,
    string? SubscriptionId,
    GlobPattern Templates,
    IReadOnlyDictionary<string, JsonNode?> Parameters) : Rule(Name, SourceFile)
{
    /// <summary>The tag that names the template.</summary>
    public const string TemplateTag = "provisioning/template";
}

/// <summary>
/// <c>on: ResourceGroupDeleted</c>: a deleted resource group's runs are ended (terminated) and forgotten (purged):
/// their resources went with the group.
/// </summary>
/// <param name="Name">The rule's name.</param>
/// <param name="SourceFile">The file it was loaded from.</param>
/// <param name="ResourceGroup">Matches the group's name.</param>
/// <param name="SubscriptionId">Only groups of this subscription, or null for any.</param>
public sealed record ResourceGroupDeletedRule(
    string Name,
    string SourceFile,
    GlobPattern ResourceGroup,
    string? SubscriptionId) : Rule(Name, SourceFile);
