using System.Diagnostics;
using System.Net;
using Provisioning.Host.Tests.EventGrid;
using Xunit.Abstractions;

namespace Provisioning.Host.Tests.Doors;

/// <summary>
/// Issue 16 §4: generated malformed inputs against the webhook and the API of the real host on loopback. None may get
/// a 5xx, and none may start a run (the instance store is the same after as before).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 16_04;
    private const int Inputs = 1_200;

    [Fact]
    public async Task Generated_malformed_inputs_get_no_5xx_and_start_no_run()
    {
        var host = await EventGridHost.StartAsync();
        try
        {
            var before = (await host.InstancesAsync()).Select(i => i.InstanceId).Order(StringComparer.Ordinal).ToList();
            var cases = FuzzCorpus.Generate(Seed, host.SubscriptionId, Inputs);
            var histogram = new SortedDictionary<int, int>();
            var kinds = new SortedDictionary<string, SortedSet<int>>(StringComparer.Ordinal);
            var failures = new List<string>();
            var clock = Stopwatch.StartNew();
            foreach (var fuzz in cases)
            {
                using var request = fuzz.ToRequest();
                using var response = await host.Http.SendAsync(request);
                var status = (int)response.StatusCode;
                histogram[status] = histogram.GetValueOrDefault(status) + 1;
                var kind = fuzz.Kind.Split(':')[0] + ": " + fuzz.Kind.Split(':')[1].Split('+')[0].Trim();
                (kinds.TryGetValue(kind, out var seen) ? seen : kinds[kind] = []).Add(status);
                if (status >= 500 || response.StatusCode == HttpStatusCode.Accepted)
                {
                    var text = await response.Content.ReadAsStringAsync();
                    failures.Add($"{fuzz.Kind} {fuzz.Method} {fuzz.Url[..Math.Min(120, fuzz.Url.Length)]}: {status} {text[..Math.Min(300, text.Length)]}");
                }
            }

            clock.Stop();
            var after = (await host.InstancesAsync()).Select(i => i.InstanceId).Order(StringComparer.Ordinal).ToList();
            output.WriteLine($"fuzz: {cases.Count} inputs (seed {Seed}) in {clock.Elapsed.TotalSeconds:F1} s; status codes: {string.Join(", ", histogram.Select(h => $"{h.Key}×{h.Value}"))}; instances before {before.Count}, after {after.Count}");
            foreach (var (kind, statuses) in kinds)
            {
                output.WriteLine($"  {kind}: {string.Join(' ', statuses)}");
            }

            Assert.True(cases.Count >= 1_000, $"{cases.Count} inputs");
            Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
            Assert.Equal(before, after);
        }
        finally
        {
            await host.DisposeAsync();
            host.DeleteData();
        }
    }
}
