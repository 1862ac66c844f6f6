using System.Text.Json.Nodes;

namespace Provisioning.Host.Bench;

/// <summary>One delivery of the burst.</summary>
/// <param name="EventId">The event id (repeated for a duplicate).</param>
/// <param name="Json">The Event Grid schema body.</param>
internal sealed record Delivery(string EventId, string Json);

/// <summary>The burst: unique ImagePushed events plus duplicates of some of them, in a seeded shuffled order.</summary>
internal static class BurstPlan
{
    public static IReadOnlyList<Delivery> Create(int total, double duplicateShare, string subscriptionId, int seed)
    {
        var random = new Random(seed);
        var duplicateCount = (int)Math.Round(total * duplicateShare);
        var unique = Enumerable.Range(0, total - duplicateCount)
            .Select(i => new Delivery($"burst-{i:D5}", Body($"burst-{i:D5}", subscriptionId, "hello/web", $"1.{i}")))
            .ToList();
        var all = new List<Delivery>(unique);
        for (var i = 0; i < duplicateCount; i++)
        {
            all.Add(unique[random.Next(unique.Count)]);
        }

        return [.. all.OrderBy(_ => random.Next())];
    }

    public static string Unwanted(string id, string subscriptionId) => Body(id, subscriptionId, "warmup/none", "1");

    private static string Body(string id, string subscriptionId, string repository, string tag) => new JsonArray(new JsonObject
    {
        ["id"] = id,
        ["topic"] = $"/subscriptions/{subscriptionId}/resourceGroups/rg-sandbox/providers/Microsoft.ContainerRegistry/registries/sandboxacr",
        ["subject"] = $"{repository}:{tag}",
        ["eventType"] = "Microsoft.ContainerRegistry.ImagePushed",
        ["eventTime"] = "2026-11-23T10:00:00Z",
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
