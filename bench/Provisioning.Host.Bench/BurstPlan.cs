using System.Text.Json.Nodes;

namespace Provisioning.Host.Bench;

/// <summary>One delivery of the burst.</summary>
/// <param name="EventId">The event id (repeated for a duplicate).</param>
/// <param name="Tag">The pushed tag.</param>
/// <param name="Json">The Event Grid schema body.</param>
internal sealed record Delivery(string EventId, string Tag, string Json);

/// <summary>
/// The burst: unique ImagePushed events of one repository (tags <c>1.{i}</c>, event times one millisecond apart, so
/// the last tag is the newest push) plus duplicates of some of them, in a seeded shuffled order.
/// </summary>
internal static class BurstPlan
{
    public static readonly DateTimeOffset FirstEventTime = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The tag of the newest push among <paramref name="unique"/> events.</summary>
    public static string NewestTag(int unique) => $"1.{unique - 1}";

    public static IReadOnlyList<Delivery> Create(int total, double duplicateShare, string subscriptionId, int seed)
    {
        var random = new Random(seed);
        var duplicateCount = (int)Math.Round(total * duplicateShare);
        var unique = Enumerable.Range(0, total - duplicateCount)
            .Select(i => new Delivery($"burst-{i:D5}", $"1.{i}", Body($"burst-{i:D5}", subscriptionId, "hello/web", $"1.{i}", FirstEventTime.AddMilliseconds(i))))
            .ToList();
        var all = new List<Delivery>(unique);
        for (var i = 0; i < duplicateCount; i++)
        {
            all.Add(unique[random.Next(unique.Count)]);
        }

        return [.. all.OrderBy(_ => random.Next())];
    }

    public static string Unwanted(string id, string subscriptionId) => Body(id, subscriptionId, "warmup/none", "1", FirstEventTime);

    private static string Body(string id, string subscriptionId, string repository, string tag, DateTimeOffset time) => new JsonArray(new JsonObject
    {
        ["id"] = id,
        ["topic"] = $"/subscriptions/{subscriptionId}/resourceGroups/rg-sandbox/providers/Microsoft.ContainerRegistry/registries/sandboxacr",
        ["subject"] = $"{repository}:{tag}",
        ["eventType"] = "Microsoft.ContainerRegistry.ImagePushed",
        ["eventTime"] = time.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["data"] = new JsonObject
        {
            ["id"] = id,
            ["action"] = "push",
            ["target"] = new JsonObject { ["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json", ["digest"] = "sha256:0", ["repository"] = repository, ["tag"] = tag },
            ["request"] = new JsonObject { ["id"] = id, ["host"] = "sandboxacr.azurecr.io", ["method"] = "PUT" },
        },
        ["dataVersion"] = "1.0",
        ["metadataVersion"] = "1",
    }).ToJsonString();
}
