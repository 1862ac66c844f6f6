using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Provisioning.ArmEmulator.Faults;

namespace Provisioning.ArmEmulator.Tests.Persistence;

/// <summary>
/// The emulator keeps the emulated Azure in its data folder. These tests stop it with <see cref="ArmEmulatorServer.DisposeAsync"/>,
/// which writes nothing (every change is saved when made), so for the files a stop is a crash; the kill -9 tests in
/// <see cref="CrashTests"/> prove it with a real process.
/// </summary>
public sealed class PersistenceTests : IDisposable
{
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "arm-emulator-persistence", Guid.NewGuid().ToString("N"));

    private ArmEmulatorOptions Options(FaultSettings? faults = null, long compaction = 8 * 1024 * 1024) => new()
    {
        DataDirectory = _data,
        PersistState = true,
        StateCompactionBytes = compaction,
        Faults = faults ?? new FaultSettings { ProvisioningDuration = TimeSpan.FromSeconds(2) },
    };

    [Fact]
    public async Task Everything_Azure_keeps_is_there_after_a_restart_and_pending_work_goes_on_at_its_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var clock = new FakeTimeProvider(Start);
        string before;
        string groupOperation;
        string runId;
        string principalId;
        int port;
        string registryId;
        await using (var e = await TestEmulator.StartAsync(Options(), clock))
        {
            port = e.Server.BaseUri.Port;
            await e.CreateGroupAsync("rg");
            var identity = await e.CreateIdentityAsync("rg", "pull-id");
            principalId = (string)identity["properties"]!["principalId"]!;
            var registry = await e.CreateRegistryAsync("rg", "keptacr");
            registryId = (string)registry["id"]!;
            Assert.NotNull(e.Server.PushImage("keptacr", "app", "v1"));
            await e.GrantAsync(registryId, principalId, AcrPull);
            clock.Advance(TimeSpan.FromSeconds(30));

            // Subscribed through ARM; the receiver refuses the first notification, so a delivery is left to retry.
            using (var subscription = await e.PutAsync($"{registryId}/providers/Microsoft.EventGrid/eventSubscriptions/on-push", "2025-02-15", SubscriptionBody(receiver)))
            {
                Assert.Equal(HttpStatusCode.Created, subscription.StatusCode);
                var handshake = new Uri(subscription.Headers.GetValues("Azure-AsyncOperation").Single());
                await TestEmulator.WaitUntilAsync(async () => (string?)(await TestEmulator.JsonAsync(await e.Http.GetAsync(handshake)))["status"] == "Succeeded", "handshake");
            }

            receiver.RespondWith(500);
            Assert.NotNull(e.Server.PushImage("keptacr", "app", "v2"));
            await TestEmulator.WaitUntilAsync(() => Task.FromResult(e.Server.GetDeliveries().Any(d => d.Outcome == "Retrying")), "a refused delivery");

            // A group that ran and was stopped (state changed in place), and one still being created.
            using (var first = await e.PutAsync(GroupPath(e, "stopped"), "2025-09-01", GroupBody((string)identity["id"]!)))
            {
                Assert.Equal(HttpStatusCode.Created, first.StatusCode);
            }

            clock.Advance(TimeSpan.FromSeconds(3));
            using (var stop = await e.PostAsync($"{GroupPath(e, "stopped")}/stop", "2025-09-01"))
            {
                Assert.Equal(HttpStatusCode.NoContent, stop.StatusCode);
            }

            using (var pending = await e.PutAsync(GroupPath(e, "pending"), "2025-09-01", GroupBody((string)identity["id"]!)))
            {
                Assert.Equal(HttpStatusCode.Created, pending.StatusCode);
                groupOperation = pending.Headers.GetValues("Azure-AsyncOperation").Single();
            }

            using (var schedule = await e.PostAsync($"{registryId}/scheduleRun", "2025-03-01-preview", RunBody))
            {
                Assert.Equal(HttpStatusCode.OK, schedule.StatusCode);
                runId = (string)(await TestEmulator.JsonAsync(schedule))["name"]!;
            }

            before = e.Server.DumpState();
        }

        var restarted = new FakeTimeProvider(clock.GetUtcNow());
        await using var again = await TestEmulator.StartAsync(Options(), restarted);

        // What was saved is exactly what was in memory: the fresh snapshot written at start holds the same entries.
        Assert.Equal(before, SnapshotEntries());
        Assert.Equal(port, again.Server.BaseUri.Port);

        var readIdentity = await TestEmulator.JsonAsync(await again.GetAsync($"{again.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull-id", "2024-11-30"));
        Assert.Equal(principalId, (string)readIdentity["properties"]!["principalId"]!);
        var assignments = await TestEmulator.JsonAsync(await again.GetAsync($"{registryId}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()", "2022-04-01"));
        Assert.Contains(assignments["value"]!.AsArray(), a => (string?)a!["properties"]!["principalId"] == principalId);
        using (var images = await again.Http.GetAsync(new Uri("/_emulator/registries/keptacr/images", UriKind.Relative)))
        {
            Assert.Equal(["v1", "v2"], (await TestEmulator.JsonAsync(images))["app"]!.AsObject().Select(t => t.Key).Order(StringComparer.Ordinal));
        }

        var stopped = await TestEmulator.JsonAsync(await again.GetAsync(GroupPath(again, "stopped"), "2025-09-01"));
        Assert.Equal("Stopped", (string)stopped["properties"]!["instanceView"]!["state"]!);
        Assert.Equal("Succeeded", again.Server.EventSubscriptions.Get("on-push")?.ProvisioningState);

        // The operation URL handed out before the restart still answers, and the operation ends at its due time.
        Assert.Equal("InProgress", (string)(await TestEmulator.JsonAsync(await again.Http.GetAsync(new Uri(groupOperation))))["status"]!);
        restarted.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal("Succeeded", (string)(await TestEmulator.JsonAsync(await again.Http.GetAsync(new Uri(groupOperation))))["status"]!);
        var pendingGroup = await TestEmulator.JsonAsync(await again.GetAsync(GroupPath(again, "pending"), "2025-09-01"));
        Assert.Equal("Running", (string)pendingGroup["properties"]!["instanceView"]!["state"]!);
        var run = await TestEmulator.JsonAsync(await again.GetAsync($"{registryId}/runs/{runId}", "2025-03-01-preview"));
        Assert.Equal("Succeeded", (string)run["properties"]!["status"]!);

        // The refused delivery is attempted again at its backoff time, by the restarted emulator.
        restarted.Advance(TimeSpan.FromSeconds(30));
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(receiver.Notifications.Count(n => n.Event["subject"]?.GetValue<string>() == "app:v2") >= 2), "the retried delivery");
        Assert.Equal("1", receiver.Notifications.Last(n => n.Event["subject"]?.GetValue<string>() == "app:v2").DeliveryCount);

        // Run ids go on from where they were.
        using var next = await again.PostAsync($"{registryId}/scheduleRun", "2025-03-01-preview", RunBody);
        Assert.NotEqual(runId, (string)(await TestEmulator.JsonAsync(next))["name"]!);
    }

    [Fact]
    public async Task A_record_cut_short_by_a_crash_is_dropped_and_everything_before_it_is_kept()
    {
        await using (var e = await TestEmulator.StartAsync(Options(), new FakeTimeProvider(Start)))
        {
            await e.CreateGroupAsync("rg");
            await e.CreateIdentityAsync("rg", "kept-id");
        }

        // What a crash in the middle of an append leaves: a frame header and half a payload.
        var journal = Directory.GetFiles(Path.Combine(_data, "state"), "journal-*.log").Single();
        await File.AppendAllTextAsync(journal, "\u0040\u0001\u0000\u0000garbage-of-a-half-written-record");

        await using var again = await TestEmulator.StartAsync(Options(), new FakeTimeProvider(Start));
        using var read = await again.GetAsync($"{again.Sub}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/kept-id", "2024-11-30");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await again.CreateIdentityAsync("rg", "after-restart");
    }

    [Fact]
    public async Task A_journal_past_its_size_is_folded_into_a_snapshot_and_nothing_is_lost()
    {
        await using (var e = await TestEmulator.StartAsync(Options(compaction: 4096), new FakeTimeProvider(Start)))
        {
            await e.CreateGroupAsync("rg");
            for (var i = 0; i < 40; i++)
            {
                await e.CreateIdentityAsync("rg", $"id-{i}");
            }

            var state = Path.Combine(_data, "state");
            Assert.True(new FileInfo(Directory.GetFiles(state, "journal-*.log").Single()).Length < 4096 + 2048);
            Assert.Single(Directory.GetFiles(state, "journal-*.log"));
        }

        await using var again = await TestEmulator.StartAsync(Options(compaction: 4096), new FakeTimeProvider(Start));
        Assert.Equal(40, again.Server.GetInventory().Count(r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities"));
    }

    [Fact]
    public async Task A_second_emulator_on_the_same_folder_is_refused_with_a_clear_error()
    {
        await using var first = await TestEmulator.StartAsync(Options(), new FakeTimeProvider(Start));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestEmulator.StartAsync(Options(), new FakeTimeProvider(Start)));
        Assert.Contains("in use by another emulator process", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_snapshot_stops_the_start_naming_the_file_instead_of_starting_an_empty_Azure()
    {
        await using (var e = await TestEmulator.StartAsync(Options(), new FakeTimeProvider(Start)))
        {
            await e.CreateGroupAsync("rg");
        }

        var snapshot = Path.Combine(_data, "state", "snapshot.json");
        await File.WriteAllTextAsync(snapshot, "{\"format\":\"provisioning-arm-emulator-state\",\"entries\":{");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => TestEmulator.StartAsync(Options(), new FakeTimeProvider(Start)));
        Assert.Contains(snapshot, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_data_folder_holds_what_a_client_in_another_process_needs()
    {
        await using var e = await TestEmulator.StartAsync(Options(), new FakeTimeProvider(Start));
        var endpoint = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_data, "arm-emulator.json")))!;
        Assert.Equal(e.Server.BaseUri.ToString(), (string?)endpoint["url"]);
        Assert.Equal(e.Server.SubscriptionId, (string?)endpoint["subscriptionId"]);
        Assert.Equal(e.Server.CertificatePath, (string?)endpoint["certificatePath"]);
        Assert.Equal(e.Server.DevelopmentToken, (await File.ReadAllTextAsync((string)endpoint["tokenPath"]!)).Trim());
        Assert.Equal(e.Server.Certificate.ExportCertificatePem().Trim(), (await File.ReadAllTextAsync(e.Server.CertificatePath)).Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(e.Server.TokenPath));
        }
    }

    [Fact]
    public async Task Without_PersistState_nothing_is_saved()
    {
        await using (var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { DataDirectory = _data }))
        {
            await e.CreateGroupAsync("rg");
            Assert.Null(e.Server.StateDirectory);
        }

        Assert.False(Directory.Exists(Path.Combine(_data, "state")));
        await using var again = await TestEmulator.StartAsync(new ArmEmulatorOptions { DataDirectory = _data });
        Assert.Empty(again.Server.GetInventory());
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private string SnapshotEntries()
    {
        var snapshot = JsonNode.Parse(File.ReadAllText(Path.Combine(_data, "state", "snapshot.json")))!;
        var entries = snapshot["entries"]!.AsObject();
        var sorted = new JsonObject();
        foreach (var (key, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList())
        {
            entries.Remove(key);
            sorted[key] = value;
        }

        return sorted.ToJsonString();
    }

    private static string RunBody { get; } = new JsonObject
    {
        ["type"] = "EncodedTaskRunRequest",
        ["encodedTaskContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("steps:\n  - cmd: keptacr.azurecr.io/app:v1\n")),
        ["platform"] = new JsonObject { ["os"] = "Linux" },
    }.ToJsonString();

    private static string GroupPath(TestEmulator e, string name) => $"{e.Sub}/resourceGroups/rg/providers/Microsoft.ContainerInstance/containerGroups/{name}";

    private static string SubscriptionBody(WebhookReceiver receiver) => new JsonObject
    {
        ["properties"] = new JsonObject
        {
            ["destination"] = new JsonObject { ["endpointType"] = "WebHook", ["properties"] = new JsonObject { ["endpointUrl"] = receiver.Endpoint.ToString() } },
            ["filter"] = new JsonObject { ["includedEventTypes"] = new JsonArray("Microsoft.ContainerRegistry.ImagePushed") },
        },
    }.ToJsonString();

    private static string GroupBody(string identityId) => $$"""
        {
          "location": "westeurope",
          "identity": { "type": "UserAssigned", "userAssignedIdentities": { "{{identityId}}": {} } },
          "properties": {
            "containers": [ { "name": "web", "properties": { "image": "keptacr.azurecr.io/app:v1", "ports": [ { "port": 80 } ],
              "resources": { "requests": { "cpu": 1, "memoryInGB": 1.5 } } } } ],
            "imageRegistryCredentials": [ { "server": "keptacr.azurecr.io", "identity": "{{identityId}}" } ],
            "osType": "Linux"
          }
        }
        """;
}
