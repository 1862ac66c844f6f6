using System.Globalization;
using System.Net;

namespace Provisioning.Host.Http;

/// <summary>
/// The management URLs returned when an orchestration starts: the same fields, in the same form, as Durable
/// Functions' <c>CreateCheckStatusResponse</c>, so existing clients that follow them keep working.
/// </summary>
/// <param name="Id">The instance id.</param>
/// <param name="StatusQueryGetUri">GET: the instance's status.</param>
/// <param name="SendEventPostUri">POST: raise an event; <c>{eventName}</c> is a placeholder.</param>
/// <param name="TerminatePostUri">POST: terminate; <c>{text}</c> is a placeholder for the reason.</param>
/// <param name="PurgeHistoryDeleteUri">DELETE: purge the finished instance's history.</param>
/// <param name="RestartPostUri">POST: restart the finished instance with its input (<c>restartWithNewInstanceId=true|false</c>, default true): 202 with a new check-status payload.</param>
/// <param name="SuspendPostUri">POST: suspend; <c>{text}</c> is the reason.</param>
/// <param name="ResumePostUri">POST: resume; <c>{text}</c> is the reason.</param>
public sealed record CheckStatusPayload(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string RestartPostUri,
    string SuspendPostUri,
    string ResumePostUri)
{
    /// <summary>The route prefix of the Durable HTTP API.</summary>
    public const string WebhookPath = "/runtime/webhooks/durabletask";

    /// <summary>Builds the URLs for <paramref name="instanceId"/> on the host at <paramref name="baseUri"/>.</summary>
    /// <param name="baseUri">Scheme, host and port the caller reached us on.</param>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="taskHub">The task hub name, echoed as Durable Functions does.</param>
    /// <param name="systemKey">The system key, appended as <c>code</c> so the URLs work as given.</param>
    public static CheckStatusPayload For(Uri baseUri, string instanceId, string taskHub, string? systemKey)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        var instance = string.Create(CultureInfo.InvariantCulture, $"{baseUri.GetLeftPart(UriPartial.Authority)}{WebhookPath}/instances/{WebUtility.UrlEncode(instanceId)}");
        var query = $"taskHub={WebUtility.UrlEncode(taskHub)}&connection=Storage";
        if (!string.IsNullOrEmpty(systemKey))
        {
            query += $"&code={WebUtility.UrlEncode(systemKey)}";
        }

        return new CheckStatusPayload(
            instanceId,
            $"{instance}?{query}",
            $"{instance}/raiseEvent/{{eventName}}?{query}",
            $"{instance}/terminate?reason={{text}}&{query}",
            $"{instance}?{query}",
            $"{instance}/restart?{query}",
            $"{instance}/suspend?reason={{text}}&{query}",
            $"{instance}/resume?reason={{text}}&{query}");
    }
}
