using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Provisioning.Host.Sandbox;

namespace Provisioning.Host.Dashboard;

/// <summary>
/// Finds the event that started a lane run among the events the sandbox's emulator raised. A run id ends with the
/// first 16 bytes of SHA-256 over <c>{source}\n{eventId}</c> (see <c>RunIds</c>), so the event is the one whose
/// topic and id hash to it. Azure keeps no such list: on Azure the page shows the event's time only.
/// </summary>
internal static class SandboxEventCause
{
    /// <summary>The emulator's event that made <paramref name="instanceId"/>, or null (not a sandbox, not a lane id, started by a request, or not found).</summary>
    public static async Task<JsonObject?> FindAsync(IServiceProvider services, string instanceId, CancellationToken cancellationToken)
    {
        if (services.GetService<SandboxEnvironment>() is not { } sandbox || RunSummary.LaneOf(instanceId) is null)
        {
            return null;
        }

        var hash = instanceId[(instanceId.LastIndexOf('-') + 1)..];
        using var http = sandbox.CreateHttpClient();
        var events = await http.GetFromJsonAsync<JsonArray>("_emulator/events", cancellationToken);
        return events?.OfType<JsonObject>().FirstOrDefault(raised =>
            raised["id"] is JsonValue id && raised["topic"] is JsonValue topic
            && string.Equals(Hash(topic.GetValue<string>(), id.GetValue<string>()), hash, StringComparison.Ordinal));
    }

    private static string Hash(string source, string eventId)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source + "\n" + eventId)), 0, 16);
}
