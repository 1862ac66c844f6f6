using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.Faults;
using Xunit.Abstractions;

namespace Provisioning.ArmEmulator.Tests.ApiVersions;

/// <summary>
/// The emulator accepts what Azure accepts: every api-version the official type index publishes for every emulated
/// type is listed by the provider endpoint and served, with a body of that version's own shape. The list comes from
/// <c>Azure.Bicep.Types.Az</c>, so it cannot shrink to a hand-picked subset again without this test failing.
/// </summary>
public sealed class ApiVersionCoverageTests(ITestOutputHelper output)
{
    /// <summary>Bounded, because CI has two cores and the emulator serializes requests on one lock anyway.</summary>
    private const int Parallelism = 4;

    [Fact]
    public async Task Every_published_api_version_of_every_emulated_type_is_served()
    {
        var clock = Stopwatch.StartNew();
        var options = new ArmEmulatorOptions
        {
            DataDirectory = TestEmulator.DataDirectory,
            AsyncRetryAfterSeconds = 0,
            Faults = new FaultSettings
            {
                ProvisioningDuration = TimeSpan.FromMilliseconds(20),
                PrincipalReplicationDelay = TimeSpan.Zero,
                GrantPropagationDelay = TimeSpan.Zero,
            },
        };

        // Real time: the operations end on their own, and the client polls them as an SDK would.
        await using var server = await ArmEmulatorServer.StartAsync(options, TimeProvider.System);
        await using var webhook = await WebhookReceiver.StartAsync();
        using var http = server.CreateHttpClient();
        var client = new SpecClient(http);
        var scenarios = new VersionScenarios(client, server, webhook.Endpoint);

        var listed = await ListedAsync(client, server.SubscriptionId);
        foreach (var (type, versions) in listed)
        {
            Assert.True(scenarios.Covers(type), $"The emulator serves '{type}', which has no scenario here: add one.");
            Assert.Equal(Expected(type), versions);
        }

        await scenarios.SetUpAsync();
        var pairs = listed.SelectMany(kv => kv.Value.Select(version => (Type: kv.Key, Version: version))).ToList();
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(pairs, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (pair, _) =>
        {
            try
            {
                await scenarios.RunAsync(pair.Type, pair.Version);
            }
#pragma warning disable CA1031 // Every failing pair is reported, not only the first.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Enqueue($"{pair.Type}@{pair.Version}: {ex.Message}");
            }
        });

        output.WriteLine($"{pairs.Count} type/api-version pairs across {listed.Count} types in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {pairs.Count} pairs not served:\n" + string.Join('\n', failures.Order(StringComparer.Ordinal)));
        Assert.Contains(("Microsoft.ContainerRegistry/registries", "2021-09-01"), pairs);
        Assert.Contains(("Microsoft.ContainerInstance/containerGroups", "2022-10-01-preview"), pairs);
        Assert.Contains(("Microsoft.App/managedEnvironments", "2022-10-01"), pairs);
        Assert.Contains(("Microsoft.App/containerApps", "2022-10-01"), pairs);
    }

    /// <summary>What the emulator should list for a type: the index's versions (containers go by their group's).</summary>
    private static IReadOnlyList<string> Expected(string type) =>
        VersionScenarios.Published(type.Equals("Microsoft.ContainerInstance/containerGroups/containers", StringComparison.OrdinalIgnoreCase)
            ? "Microsoft.ContainerInstance/containerGroups"
            : type);

    /// <summary>The emulated types and their api-versions, as the provider endpoint tells a client.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<string>>> ListedAsync(SpecClient client, string subscriptionId)
    {
        var providers = await client.GetAsync($"/subscriptions/{subscriptionId}/providers", "2022-12-01");
        var listed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers["value"]!.AsArray())
        {
            foreach (var type in provider!["resourceTypes"]!.AsArray())
            {
                var versions = type!["apiVersions"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
                listed[$"{provider["namespace"]}/{type["resourceType"]}"] = versions;
            }
        }

        return listed;
    }
}
