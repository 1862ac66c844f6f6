using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Provisioning.ArmEmulator;

// Loopback throughput of the ARM emulator: concurrent clients over keep-alive HTTPS (HTTP/1.1), GETs of a
// user-assigned identity and PUTs (updates) of it. The emulator runs in this process, so client and server
// share the machine's cores. Usage: dotnet run -c Release --project bench/Provisioning.ArmEmulator.Bench [-- seconds concurrency]
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;

await using var server = await ArmEmulatorServer.StartAsync(new ArmEmulatorOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "arm-emulator-bench") });
var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(server.Certificate.RawData));
using var handler = new SocketsHttpHandler
{
    SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
    MaxConnectionsPerServer = concurrency,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
};
using var http = new HttpClient(handler) { BaseAddress = server.BaseUri, DefaultRequestVersion = HttpVersion.Version11 };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.DevelopmentToken);

var group = $"/subscriptions/{server.SubscriptionId}/resourcegroups/bench";
using (var rg = await http.PutAsync($"{group}?api-version=2024-03-01", Json("""{"location":"westeurope"}""")))
{
    rg.EnsureSuccessStatusCode();
}

var identity = $"/subscriptions/{server.SubscriptionId}/resourceGroups/bench/providers/Microsoft.ManagedIdentity/userAssignedIdentities/bench-id?api-version=2024-11-30";
using (var id = await http.PutAsync(identity, Json("""{"location":"westeurope"}""")))
{
    id.EnsureSuccessStatusCode();
}

var results = new List<Result>
{
    await RunAsync("GET identity", () => http.GetAsync(identity), seconds, concurrency),
    await RunAsync("PUT identity", () => http.PutAsync(identity, Json("""{"location":"westeurope","tags":{"k":"v"}}""")), seconds, concurrency),
};

Console.WriteLine();
Console.WriteLine($"{"operation",-14} {"clients",8} {"requests",10} {"errors",7} {"req/s",10} {"p50 ms",8} {"p99 ms",8}");
foreach (var r in results)
{
    Console.WriteLine($"{r.Operation,-14} {r.Clients,8} {r.Requests,10} {r.Errors,7} {r.PerSecond,10:F0} {r.P50Ms,8:F2} {r.P99Ms,8:F2}");
}

Console.WriteLine($"cores: {Environment.ProcessorCount}; client and emulator in one process; goal: >= 5000 GETs/s");
Console.WriteLine(JsonSerializer.Serialize(new
{
    benchmark = "arm-emulator-loopback",
    cores = Environment.ProcessorCount,
    clients = concurrency,
    seconds,
    getPerSecond = Math.Round(results[0].PerSecond),
    getP99Ms = Math.Round(results[0].P99Ms, 2),
    putPerSecond = Math.Round(results[1].PerSecond),
    putP99Ms = Math.Round(results[1].P99Ms, 2),
    errors = results.Sum(r => r.Errors),
    goalGetPerSecond = 5000,
    meetsGoal = results[0].PerSecond >= 5000,
}));

static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

static async Task<Result> RunAsync(string operation, Func<Task<HttpResponseMessage>> send, double seconds, int concurrency)
{
    // Warm-up: open every connection and JIT the paths.
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        for (var i = 0; i < 20; i++)
        {
            using var r = await send();
        }
    }));

    var latencies = new List<double>[concurrency];
    var errors = 0;
    var stop = Stopwatch.StartNew();
    var duration = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
    {
        var mine = latencies[worker] = [];
        while (stop.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await send();
            await response.Content.ReadAsByteArrayAsync();
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }
        }
    }));
    var elapsed = stop.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Result(operation, concurrency, all.Length, errors, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

internal sealed record Result(string Operation, int Clients, int Requests, int Errors, double PerSecond, double P50Ms, double P99Ms);
