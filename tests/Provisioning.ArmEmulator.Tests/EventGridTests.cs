using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Provisioning.ArmEmulator.EventGrid;

namespace Provisioning.ArmEmulator.Tests;

public sealed class EventGridTests
{
    private static EventSubscription Subscription(WebhookReceiver receiver, string name = "sub1", EventDeliverySchema schema = EventDeliverySchema.EventGridSchema) =>
        new() { Name = name, Endpoint = receiver.Endpoint, Schema = schema };

    [Fact]
    public async Task EventGrid_schema_handshake_then_ImagePushed_delivery()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await e.CreateGroupAsync("rg");
        var registry = await e.CreateRegistryAsync("rg", "eventsacr");

        using var put = await e.Http.PutAsJsonAsync("/_emulator/eventSubscriptions/acr-push", new
        {
            endpoint = receiver.Endpoint,
            scope = registry["id"]!.GetValue<string>(),
            includedEventTypes = new[] { "Microsoft.ContainerRegistry.ImagePushed" },
        });
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Succeeded", (await TestEmulator.JsonAsync(put))["provisioningState"]!.GetValue<string>());
        var validation = Assert.Single(receiver.Validations);
        Assert.Equal("Microsoft.EventGrid.SubscriptionValidationEvent", validation.Event["eventType"]!.GetValue<string>());
        Assert.NotNull(validation.Event["data"]!["validationCode"]);

        e.Server.PushImage("eventsacr", "samples/hello", "v1");
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(!receiver.Notifications.IsEmpty), "ImagePushed delivery");
        var delivered = Assert.Single(receiver.Notifications);
        Assert.Equal("Notification", delivered.EventType);
        Assert.Equal("0", delivered.DeliveryCount);
        Assert.IsType<JsonArray>(delivered.Body);
        Assert.Equal("Microsoft.ContainerRegistry.ImagePushed", delivered.Event["eventType"]!.GetValue<string>());
        Assert.Equal("samples/hello:v1", delivered.Event["subject"]!.GetValue<string>());
        Assert.Equal(registry["id"]!.GetValue<string>(), delivered.Event["topic"]!.GetValue<string>());
        Assert.Equal("samples/hello", delivered.Event["data"]!["target"]!["repository"]!.GetValue<string>());
        Assert.Equal("eventsacr.azurecr.io", delivered.Event["data"]!["request"]!["host"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refused_handshake_fails_the_subscription_and_nothing_is_delivered()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.ValidationMode = "Refuse";
        var created = await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver));
        Assert.Equal("Failed", created.ProvisioningState);
        await e.CreateGroupAsync("rg");
        await Task.Delay(300);
        Assert.Empty(receiver.Notifications);
    }

    [Fact]
    public async Task A_working_subscription_keeps_delivering_while_an_update_of_its_endpoint_is_being_validated()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var current = await WebhookReceiver.StartAsync();
        await using var next = await WebhookReceiver.StartAsync();
        Assert.Equal("Succeeded", (await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(current))).ProvisioningState);
        next.HoldValidation = true;

        var update = e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(next));
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(!next.Validations.IsEmpty), "the update's handshake");
        await e.CreateGroupAsync("rg");

        // Raised during the handshake: delivered through the subscription as it was, not dropped.
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(!current.Notifications.IsEmpty), "delivery to the working endpoint");
        next.ValidationRelease.SetResult();
        Assert.Equal("Succeeded", (await update).ProvisioningState);
        Assert.Equal(next.Endpoint, e.Server.EventSubscriptions.Get("sub1")!.Endpoint);
    }

    [Fact]
    public async Task Validation_url_completes_a_subscription_whose_endpoint_ignored_the_code()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.ValidationMode = "Ignore";
        var created = await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver));
        Assert.Equal("AwaitingManualAction", created.ProvisioningState);
        var url = receiver.Validations.Single().Event["data"]!["validationUrl"]!.GetValue<string>();
        using var validate = await e.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, validate.StatusCode);
        Assert.Equal("Succeeded", e.Server.EventSubscriptions.Get("sub1")!.ProvisioningState);
    }

    [Fact]
    public async Task CloudEvents_handshake_uses_OPTIONS_and_delivers_ResourceWriteSuccess_as_cloudevents_json()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var created = await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver, schema: EventDeliverySchema.CloudEventSchemaV1_0) with
        {
            IncludedEventTypes = ["Microsoft.Resources.ResourceWriteSuccess"],
            SubjectEndsWith = "/id1",
        });
        Assert.Equal("Succeeded", created.ProvisioningState);
        Assert.Equal("eventgrid.azure.net", Assert.Single(receiver.OptionsOrigins));
        Assert.Empty(receiver.Validations);

        await e.CreateGroupAsync("rg");
        var identity = await e.CreateIdentityAsync("rg", "id1");
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(!receiver.Notifications.IsEmpty), "ResourceWriteSuccess delivery");
        await Task.Delay(200);
        var delivered = Assert.Single(receiver.Notifications);
        Assert.StartsWith("application/cloudevents+json", delivered.ContentType, StringComparison.Ordinal);
        Assert.Equal("1.0", delivered.Body["specversion"]!.GetValue<string>());
        Assert.Equal("Microsoft.Resources.ResourceWriteSuccess", delivered.Body["type"]!.GetValue<string>());
        Assert.Equal(identity["id"]!.GetValue<string>(), delivered.Body["subject"]!.GetValue<string>());
        Assert.Equal($"{e.Sub}/resourceGroups/rg", delivered.Body["source"]!.GetValue<string>());
        Assert.Equal(identity["id"]!.GetValue<string>(), delivered.Body["data"]!["resourceUri"]!.GetValue<string>());
    }

    [Fact]
    public async Task CloudEvents_endpoint_without_allowed_origin_fails_validation()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.AllowCloudEvents = false;
        var created = await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver, schema: EventDeliverySchema.CloudEventSchemaV1_0));
        Assert.Equal("Failed", created.ProvisioningState);
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_with_backoff_until_success()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.RespondWith(500, 503);
        await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver));
        await e.CreateGroupAsync("rg");

        await TestEmulator.WaitUntilAsync(() => Task.FromResult(e.Server.GetDeliveries().Count == 1), "first attempt");
        Assert.Equal("Retrying", e.Server.GetDeliveries()[0].Outcome);
        e.Time.Advance(TimeSpan.FromSeconds(10));
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(e.Server.GetDeliveries().Count == 2), "second attempt");
        e.Time.Advance(TimeSpan.FromSeconds(30));
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(e.Server.GetDeliveries().Count == 3), "third attempt");

        var attempts = e.Server.GetDeliveries();
        Assert.Equal(["Retrying", "Retrying", "Delivered"], attempts.Select(a => a.Outcome));
        Assert.Equal([500, 503, 200], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.EventId).Distinct());
        Assert.Equal(["0", "1", "2"], receiver.Notifications.Select(n => n.DeliveryCount));
    }

    [Fact]
    public async Task Bad_request_is_dead_lettered_without_retry()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.RespondWith(400);
        await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver));
        await e.CreateGroupAsync("rg");
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(e.Server.GetDeliveries().Count == 1), "attempt");
        e.Time.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(200);
        var attempt = Assert.Single(e.Server.GetDeliveries());
        Assert.Equal("DeadLettered", attempt.Outcome);
    }

    [Fact]
    public async Task Duplicate_fault_delivers_the_same_event_twice()
    {
        await using var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { Faults = new Faults.FaultSettings { DuplicateDeliveryRate = 1.0 } });
        await using var receiver = await WebhookReceiver.StartAsync();
        await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver));
        await e.CreateGroupAsync("rg");
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(receiver.Notifications.Count == 2 && e.Server.GetDeliveries().Count == 2), "two deliveries");
        var ids = receiver.Notifications.Select(n => n.Event["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(["Delivered", "Duplicate"], e.Server.GetDeliveries().Select(d => d.Outcome));
    }

    [Fact]
    public async Task Injected_delivery_failures_force_retries()
    {
        await using var e = await TestEmulator.StartAsync(new ArmEmulatorOptions { Faults = new Faults.FaultSettings { DeliveryFailureRate = 1.0 } });
        await using var receiver = await WebhookReceiver.StartAsync();
        await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver));
        await e.CreateGroupAsync("rg");
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(e.Server.GetDeliveries().Count == 1), "failed attempt");
        Assert.Empty(receiver.Notifications);
        e.Server.Faults.Update(f => f with { DeliveryFailureRate = 0 });
        e.Time.Advance(TimeSpan.FromSeconds(10));
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(receiver.Notifications.Count == 1), "retried delivery");
    }

    [Fact]
    public async Task Scope_and_subject_filters_select_events()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await e.CreateGroupAsync("rg-a");
        await e.CreateGroupAsync("rg-b");
        await e.Server.EventSubscriptions.CreateOrUpdateAsync(Subscription(receiver) with
        {
            Scope = $"{e.Sub}/resourceGroups/rg-b",
            SubjectBeginsWith = $"{e.Sub}/resourceGroups/rg-b/providers/Microsoft.ManagedIdentity/",
        });
        await e.CreateIdentityAsync("rg-a", "in-a");
        await e.CreateIdentityAsync("rg-b", "in-b");
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(!receiver.Notifications.IsEmpty), "delivery");
        await Task.Delay(300);
        var delivered = Assert.Single(receiver.Notifications);
        Assert.EndsWith("/in-b", delivered.Event["subject"]!.GetValue<string>(), StringComparison.Ordinal);

        using var list = await e.Http.GetAsync("/_emulator/eventSubscriptions");
        Assert.Single((await list.Content.ReadFromJsonAsync<JsonArray>())!);
        using var delete = await e.Http.DeleteAsync("/_emulator/eventSubscriptions/sub1");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Empty(e.Server.EventSubscriptions.List());
    }

    [Fact]
    public async Task Non_loopback_endpoints_are_refused()
    {
        await using var e = await TestEmulator.StartAsync();
        using var put = await e.Http.PutAsJsonAsync("/_emulator/eventSubscriptions/remote", new { endpoint = "https://example.com/hook" });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }

    [Fact]
    public async Task ARM_event_subscription_validates_asynchronously_and_delivers()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await e.CreateGroupAsync("rg");
        var registry = (await e.CreateRegistryAsync("rg", "armsubacr"))["id"]!.GetValue<string>();
        var path = $"{registry}/providers/Microsoft.EventGrid/eventSubscriptions/on-push";
        var body = new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["destination"] = new JsonObject { ["endpointType"] = "WebHook", ["properties"] = new JsonObject { ["endpointUrl"] = receiver.Endpoint.ToString() } },
                ["filter"] = new JsonObject { ["includedEventTypes"] = new JsonArray("Microsoft.ContainerRegistry.ImagePushed") },
                ["eventDeliverySchema"] = "CloudEventSchemaV1_0",
            },
        };
        using var put = await e.PutAsync(path, "2025-02-15", body.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var operation = put.Headers.GetValues("Azure-AsyncOperation").Single();
        await TestEmulator.WaitUntilAsync(async () => (await TestEmulator.JsonAsync(await e.Http.GetAsync(operation)))["status"]!.GetValue<string>() == "Succeeded", "handshake");
        Assert.Equal("Succeeded", (await TestEmulator.JsonAsync(await e.GetAsync(path, "2025-02-15")))["properties"]!["provisioningState"]!.GetValue<string>());

        e.Server.PushImage("armsubacr", "app", "v2");
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(!receiver.Notifications.IsEmpty), "delivery");
        Assert.Equal("app:v2", receiver.Notifications.Single().Body["subject"]!.GetValue<string>());

        receiver.AllowCloudEvents = false;
        using var refused = await e.PutAsync($"{registry}/providers/Microsoft.EventGrid/eventSubscriptions/refused", "2025-02-15", body.ToJsonString());
        var refusedOperation = refused.Headers.GetValues("Azure-AsyncOperation").Single();
        await TestEmulator.WaitUntilAsync(async () => (await TestEmulator.JsonAsync(await e.Http.GetAsync(refusedOperation)))["status"]!.GetValue<string>() == "Failed", "failed handshake");

        var queue = JsonNode.Parse(body.ToJsonString())!;
        queue["properties"]!["destination"] = new JsonObject { ["endpointType"] = "StorageQueue", ["properties"] = new JsonObject { ["queueName"] = "q" } };
        using var unsupported = await e.PutAsync($"{registry}/providers/Microsoft.EventGrid/eventSubscriptions/queue", "2025-02-15", queue.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.StatusCode);

        using var delete = await e.DeleteAsync(path, "2025-02-15");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Null(e.Server.EventSubscriptions.Get("on-push"));
    }

    [Fact]
    public async Task ARM_event_subscription_goes_with_its_resource_group()
    {
        await using var e = await TestEmulator.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await e.CreateGroupAsync("rg");
        var body = "{\"properties\":{\"destination\":{\"endpointType\":\"WebHook\",\"properties\":{\"endpointUrl\":\"" + receiver.Endpoint + "\"}}}}";
        using var put = await e.PutAsync($"{e.Sub}/resourceGroups/rg/providers/Microsoft.EventGrid/eventSubscriptions/rg-events", "2025-02-15", body);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        await TestEmulator.WaitUntilAsync(() => Task.FromResult(e.Server.EventSubscriptions.Get("rg-events")?.ProvisioningState == "Succeeded"), "handshake");

        using var delete = await e.DeleteAsync($"{e.Sub}/resourcegroups/rg", "2024-03-01");
        e.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Empty(e.Server.GetInventory());
        Assert.Null(e.Server.EventSubscriptions.Get("rg-events"));
    }
}
