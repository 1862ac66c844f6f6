using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Rules;

/// <summary>
/// The instance ids of runs started by events: <c>{subscriptionId}:{resourceGroup}:{template}:{eventHash}</c>, with
/// subscription, group and template in lower case (their names ignore case) and <c>eventHash</c> the first 16 bytes of
/// SHA-256 over <c>{source}\n{eventId}</c>, in lower-case hex. A redelivered event gives the same id, so it starts
/// at most one run, across restarts; ':' occurs in no subscription id, group name or template name, so
/// <see cref="ResourceGroupPrefix"/> selects exactly a group's runs.
/// </summary>
public static class RunIds
{
    /// <summary>The run id for an event, a target and a template.</summary>
    /// <param name="subscriptionId">The target subscription.</param>
    /// <param name="resourceGroup">The target resource group.</param>
    /// <param name="template">The template name.</param>
    /// <param name="eventSource">The event's topic or source (empty when absent).</param>
    /// <param name="eventId">The event id.</param>
    public static string For(string subscriptionId, string resourceGroup, string template, string eventSource, string eventId)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        ArgumentException.ThrowIfNullOrEmpty(resourceGroup);
        ArgumentException.ThrowIfNullOrEmpty(template);
        ArgumentNullException.ThrowIfNull(eventSource);
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(eventSource + "\n" + eventId));
        return ResourceGroupPrefix(subscriptionId, resourceGroup) + template.ToLowerInvariant() + ":" + Convert.ToHexStringLower(hash, 0, 16);
    }

    /// <summary>The prefix shared by every event-started run into a resource group: <c>{subscriptionId}:{resourceGroup}:</c>.</summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="resourceGroup">The resource group.</param>
    public static string ResourceGroupPrefix(string subscriptionId, string resourceGroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        ArgumentException.ThrowIfNullOrEmpty(resourceGroup);
        return subscriptionId.ToLowerInvariant() + ":" + resourceGroup.ToLowerInvariant() + ":";
    }
}
