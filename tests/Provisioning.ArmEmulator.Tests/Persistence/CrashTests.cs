using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Provisioning.ArmEmulator.Tests.Persistence;

/// <summary>
/// The standalone emulator in a child process, killed with SIGKILL (no shutdown code runs), then started again on the
/// same data folder: what it acknowledged is there, its pending operation completes at its due time, and its undelivered
/// event is delivered.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string Subscription = "/subscriptions/00000000-0000-0000-0000-00000000c0de";
    private readonly string _data = Path.Combine(Path.GetTempPath(), "arm-emulator-crash", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task After_kill_9_the_identity_grant_and_image_are_there_the_pending_operation_completes_on_time_and_the_event_is_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        string operationUrl;
        string principalId;
        Uri before;
        using (var child = await EmulatorProcess.StartAsync(_data))
        {
            var http = child.Http;
            before = child.BaseUri;
            await SetFaultsAsync(http, "00:00:00");
            await PutAsync(http, $"{Subscription}/resourcegroups/rg?api-version=2024-03-01", """{"location":"westeurope"}""");
            var identity = await PutAsync(http, $"{Subscription}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller?api-version=2024-11-30", """{"location":"westeurope"}""");
            principalId = (string)identity["properties"]!["principalId"]!;
            var registryId = $"{Subscription}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crashacr";
            await PutAsync(http, $"{registryId}?api-version=2025-11-01", """{"location":"westeurope","sku":{"name":"Standard"}}""");
            await WaitAsync(async () => (string?)(await GetAsync(http, $"{registryId}?api-version=2025-11-01"))["properties"]!["provisioningState"] == "Succeeded", "the registry");
            using (var push = await http.PostAsJsonAsync(new Uri("/_emulator/registries/crashacr/images", UriKind.Relative), new { repository = "web", tag = "1.0" }))
            {
                Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            }

            await PutAsync(
                http,
                $"{registryId}/providers/Microsoft.Authorization/roleAssignments/{Guid.NewGuid()}?api-version=2022-04-01",
                $$$"""{"properties":{"roleDefinitionId":"{{{Subscription}}}/providers/Microsoft.Authorization/roleDefinitions/{{{AcrPull}}}","principalId":"{{{principalId}}}","principalType":"ServicePrincipal"}}""");
            using (var subscribe = await http.PutAsJsonAsync(new Uri("/_emulator/eventSubscriptions/pushes", UriKind.Relative), new { endpoint = receiver.Endpoint, includedEventTypes = new[] { "Microsoft.ContainerRegistry.ImagePushed" } }))
            {
                Assert.Equal("Succeeded", (string?)(await TestEmulator.JsonAsync(subscribe))["provisioningState"]);
            }

            // A container group whose creation takes ten minutes: still running when the emulator dies.
            await SetFaultsAsync(http, "00:10:00");
            using (var create = await SendAsync(http, HttpMethod.Put, $"{Subscription}/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/web?api-version=2025-09-01", GroupBody(principalId)))
            {
                Assert.Equal(HttpStatusCode.Created, create.StatusCode);
                operationUrl = create.Headers.GetValues("Azure-AsyncOperation").Single();
            }

            // An event the webhook refuses: left for a retry when the emulator dies.
            receiver.RespondWith(503);
            using (var push = await http.PostAsJsonAsync(new Uri("/_emulator/registries/crashacr/images", UriKind.Relative), new { repository = "web", tag = "1.1" }))
            {
                Assert.Equal(HttpStatusCode.Created, push.StatusCode);
            }

            await WaitAsync(() => Task.FromResult(receiver.Notifications.Any(n => (string?)n.Event["subject"] == "web:1.1")), "the refused delivery");
            child.Kill();
            output.WriteLine(child.Output);
        }

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { DataDirectory = _data, PersistState = true }, clock);
        Assert.Equal(before, e.Server.BaseUri);

        var inventory = e.Server.GetInventory();
        Assert.Contains(inventory, r => r.Name == "web-puller" && r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Contains(inventory, r => r.Name == "crashacr" && r.ProvisioningState == "Succeeded");
        Assert.Contains(inventory, r => r.Type == "Microsoft.Authorization/roleAssignments");
        Assert.Contains(inventory, r => r.Name == "web" && r.ProvisioningState == "Pending");
        Assert.Equal("Succeeded", e.Server.EventSubscriptions.Get("pushes")?.ProvisioningState);
        using (var images = await e.Http.GetAsync(new Uri("/_emulator/registries/crashacr/images", UriKind.Relative)))
        {
            Assert.Equal(["1.0", "1.1"], (await TestEmulator.JsonAsync(images))["web"]!.AsObject().Select(t => t.Key).Order(StringComparer.Ordinal));
        }

        // The operation URL handed out before the kill still answers; the operation ends at its due time, not before.
        Assert.Equal("InProgress", (string?)(await TestEmulator.JsonAsync(await e.Http.GetAsync(new Uri(operationUrl))))["status"]);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("InProgress", (string?)(await TestEmulator.JsonAsync(await e.Http.GetAsync(new Uri(operationUrl))))["status"]);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("Succeeded", (string?)(await TestEmulator.JsonAsync(await e.Http.GetAsync(new Uri(operationUrl))))["status"]);
        var group = await TestEmulator.JsonAsync(await e.GetAsync($"{Subscription}/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/web", "2025-09-01"));
        Assert.Equal("Running", (string?)group["properties"]!["instanceView"]!["state"]);

        // The refused event is delivered by the restarted emulator.
        await WaitAsync(() => Task.FromResult(receiver.Notifications.Count(n => (string?)n.Event["subject"] == "web:1.1") >= 2), "the event, delivered after the restart");
        Assert.Contains(e.Server.GetDeliveries(), d => d.EventType == "Microsoft.ContainerRegistry.ImagePushed" && d.Outcome == "Delivered");
    }

    [Fact]
    public async Task A_kill_9_at_a_random_moment_under_load_loses_no_acknowledged_write()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var killAfter = random.Next(20, 300);
        output.WriteLine($"seed {seed}: kill after {killAfter} acknowledged writes");
        var acknowledged = new ConcurrentBag<string>();
        var pushed = new ConcurrentBag<string>();
        using (var child = await EmulatorProcess.StartAsync(_data))
        {
            var http = child.Http;
            await SetFaultsAsync(http, "00:00:00");
            await PutAsync(http, $"{Subscription}/resourcegroups/rg?api-version=2024-03-01", """{"location":"westeurope"}""");
            var registryId = $"{Subscription}/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/loadacr";
            await PutAsync(http, $"{registryId}?api-version=2025-11-01", """{"location":"westeurope","sku":{"name":"Standard"}}""");
            await WaitAsync(async () => (string?)(await GetAsync(http, $"{registryId}?api-version=2025-11-01"))["properties"]!["provisioningState"] == "Succeeded", "the registry");

            using var killed = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
            {
                for (var n = 0; !killed.IsCancellationRequested; n++)
                {
                    try
                    {
                        if (worker == 0)
                        {
                            var tag = $"t{n}";
                            using var push = await http.PostAsJsonAsync(new Uri("/_emulator/registries/loadacr/images", UriKind.Relative), new { repository = "load", tag });
                            if (push.StatusCode == HttpStatusCode.Created)
                            {
                                pushed.Add(tag);
                            }

                            continue;
                        }

                        var name = $"id-{worker}-{n}";
                        using var put = await SendAsync(http, HttpMethod.Put, $"{Subscription}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}?api-version=2024-11-30", """{"location":"westeurope"}""");
                        if (put.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged.Add(name);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return;
                    }
                }
            })).ToList();

            await WaitAsync(() => Task.FromResult(acknowledged.Count + pushed.Count >= killAfter), "enough acknowledged writes");
            child.Kill();
            await killed.CancelAsync();
            await Task.WhenAll(workers);
        }

        await using var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { DataDirectory = _data, PersistState = true }, new FakeTimeProvider(DateTimeOffset.UtcNow));
        var identities = e.Server.GetInventory().Where(r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities").Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = acknowledged.Where(name => !identities.Contains(name)).ToList();
        using var images = await e.Http.GetAsync(new Uri("/_emulator/registries/loadacr/images", UriKind.Relative));
        var tags = (await TestEmulator.JsonAsync(images))["load"]?.AsObject().Select(t => t.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        var missingTags = pushed.Where(tag => !tags.Contains(tag)).ToList();
        output.WriteLine($"acknowledged {acknowledged.Count} identities and {pushed.Count} pushes; {identities.Count} identities and {tags.Count} tags after the restart");
        Assert.Empty(missing);
        Assert.Empty(missingTags);
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static async Task SetFaultsAsync(HttpClient http, string provisioningDuration)
    {
        using var faults = await http.PutAsync(
            new Uri("/_emulator/faults", UriKind.Relative),
            new StringContent($$$"""{"principalReplicationDelay":"00:00:10","grantPropagationDelay":"00:00:20","provisioningDuration":"{{{provisioningDuration}}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, faults.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    private static async Task<JsonObject> PutAsync(HttpClient http, string path, string json)
    {
        using var response = await SendAsync(http, HttpMethod.Put, path, json);
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await TestEmulator.JsonAsync(response);
    }

    private static async Task<JsonObject> GetAsync(HttpClient http, string path)
    {
        using var response = await SendAsync(http, HttpMethod.Get, path, null);
        return await TestEmulator.JsonAsync(response);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(20);
        }
    }

    private static string GroupBody(string principalId) => $$"""
        {
          "location": "westeurope",
          "identity": { "type": "UserAssigned", "userAssignedIdentities": { "{{Subscription}}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller": {} } },
          "properties": {
            "containers": [ { "name": "web", "properties": { "image": "crashacr.azurecr.io/web:1.0", "ports": [ { "port": 80 } ],
              "resources": { "requests": { "cpu": 1, "memoryInGB": 1.5 } } } } ],
            "imageRegistryCredentials": [ { "server": "crashacr.azurecr.io", "identity": "{{Subscription}}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-puller" } ],
            "osType": "Linux"
          }
        }
        """;
}
