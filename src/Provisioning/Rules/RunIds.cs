using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Rules;

/// <summary>
/// The instance ids of runs started by events: <c>{subscriptionId}:{resourceGroup}:{workload}:{eventTime}-{eventHash}</c>,
/// with subscription, group and workload (the container group's name) in lower case (their names ignore case),
/// <c>eventTime</c> the event's UTC time as <c>yyyyMMddTHHmmssfffffffZ</c> (all zeros when the event has none) and
/// <c>eventHash</c> the first 16 bytes of SHA-256 over <c>{source}\n{eventId}</c>, in lower-case hex.
/// <list type="bullet">
/// <item>A redelivered event gives the same id, so it starts at most one run, across restarts.</item>
/// <item>':' occurs in no subscription id, group or container group name, so <see cref="ResourceGroupPrefix"/> selects
/// exactly a group's runs and <see cref="WorkloadPrefix"/> exactly one workload's: its lane.</item>
/// <item>Within a lane, ids sort in event-time order, which is how a run knows which runs are newer than it.</item>
/// </list>
/// </summary>
public static class RunIds
{
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfffffff'Z'";

    /// <summary>The run id for an event and the workload it deploys.</summary>
    /// <param name="subscriptionId">The target subscription.</param>
    /// <param name="resourceGroup">The target resource group.</param>
    /// <param name="workload">The name of the container group the run deploys.</param>
    /// <param name="cause">The event.</param>
    public static string For(string subscriptionId, string resourceGroup, string workload, RunCause cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        ArgumentException.ThrowIfNullOrEmpty(cause.EventId);
        ArgumentNullException.ThrowIfNull(cause.Source);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(cause.Source + "\n" + cause.EventId));
        var time = (cause.Time ?? DateTimeOffset.MinValue).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        return WorkloadPrefix(subscriptionId, resourceGroup, workload) + time + "-" + Convert.ToHexStringLower(hash, 0, 16);
    }

    /// <summary>
    /// The run id for a run started by a request (HTTP) at <paramref name="time"/>: in the workload's lane like an event's
    /// run, <c>{prefix}{time}-{nonce}</c> with the nonce's 32 lower-case hex digits in place of the event hash, so it
    /// sorts by its start time among the event-started runs of the same workload and takes its turn with them.
    /// </summary>
    /// <param name="subscriptionId">The target subscription.</param>
    /// <param name="resourceGroup">The target resource group.</param>
    /// <param name="workload">The name of the workload the run deploys.</param>
    /// <param name="time">When the request arrived.</param>
    /// <param name="nonce">Makes two requests of the same instant distinct.</param>
    public static string ForRequest(string subscriptionId, string resourceGroup, string workload, DateTimeOffset time, Guid nonce)
        => WorkloadPrefix(subscriptionId, resourceGroup, workload) + time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + "-" + nonce.ToString("N");

    /// <summary>The prefix shared by every event-started run into a resource group: <c>{subscriptionId}:{resourceGroup}:</c>.</summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="resourceGroup">The resource group.</param>
    public static string ResourceGroupPrefix(string subscriptionId, string resourceGroup)
    {
        ArgumentException.ThrowIfNullOrEmpty(subscriptionId);
        ArgumentException.ThrowIfNullOrEmpty(resourceGroup);
        return subscriptionId.ToLowerInvariant() + ":" + resourceGroup.ToLowerInvariant() + ":";
    }

    /// <summary>The prefix shared by every event-started run that deploys one container group: <c>{subscriptionId}:{resourceGroup}:{workload}:</c>.</summary>
    /// <param name="subscriptionId">The subscription.</param>
    /// <param name="resourceGroup">The resource group.</param>
    /// <param name="workload">The container group's name.</param>
    public static string WorkloadPrefix(string subscriptionId, string resourceGroup, string workload)
    {
        ArgumentException.ThrowIfNullOrEmpty(workload);
        return ResourceGroupPrefix(subscriptionId, resourceGroup) + workload.ToLowerInvariant() + ":";
    }
}
