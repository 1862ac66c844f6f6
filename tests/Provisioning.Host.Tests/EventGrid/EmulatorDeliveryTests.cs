using System.Net;
using Provisioning.ArmEmulator.EventGrid;
using Provisioning.Rules;

namespace Provisioning.Host.Tests.EventGrid;

/// <summary>The whole path: the emulator raises the events (image push, resource group written or deleted) and delivers them to the host's webhook, duplicates included.</summary>
public sealed class EmulatorDeliveryTests : IAsyncLifetime
{
    private EventGridHost _host = null!;

    public async Task InitializeAsync() => _host = await EventGridHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _host.DeleteData();
    }

    private async Task SubscribeAsync(string name, EventDeliverySchema schema, params string[] types)
    {
        var subscription = await _host.Emulator.EventSubscriptions.CreateOrUpdateAsync(new EventSubscription
        {
            Name = name,
            Endpoint = new Uri(_host.BaseAddress, EventGridHost.Webhook()),
            Schema = schema,
            IncludedEventTypes = types,
        });
        Assert.Equal("Succeeded", subscription.ProvisioningState);
    }

    // Only this test's subscription counts: the sandbox subscribes the host's webhook too.
    private async Task WaitForDeliveriesAsync(string subscription, string eventType, int count)
        => await EventGridHost.WaitUntilAsync(
            () => Task.FromResult(_host.Emulator.GetDeliveries().Count(d => d.Subscription == subscription && d.EventType == eventType && d.Status == 200) >= count),
            $"{count} deliveries of {eventType} to {subscription} were answered 200");

    [Theory]
    [InlineData(EventDeliverySchema.EventGridSchema)]
    [InlineData(EventDeliverySchema.CloudEventSchemaV1_0)]
    public async Task A_push_delivered_twice_starts_exactly_one_run(EventDeliverySchema schema)
    {
        await SubscribeAsync("pushes", schema, "Microsoft.ContainerRegistry.ImagePushed");
        _host.Emulator.Faults.Update(f => f with { DuplicateDeliveryRate = 1 });

        Assert.NotNull(_host.Emulator.PushImage("sandboxacr", "hello/web", "2.0"));
        await WaitForDeliveriesAsync("pushes", "Microsoft.ContainerRegistry.ImagePushed", 2);

        var deliveries = _host.Emulator.GetDeliveries().Where(d => d.Subscription == "pushes" && d.EventType == "Microsoft.ContainerRegistry.ImagePushed").ToList();
        Assert.Equal(["Delivered", "Duplicate"], deliveries.Select(d => d.Outcome));
        Assert.Single(deliveries.Select(d => d.EventId).Distinct());
        var run = Assert.Single(await _host.InstancesAsync(RunIds.ResourceGroupPrefix(_host.SubscriptionId, "rg-sandbox")));
        Assert.Contains("sandboxacr.azurecr.io/hello/web:2.0", (await _host.Client.GetInstanceAsync(run.InstanceId, getInputsAndOutputs: true))!.SerializedInput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_written_with_the_template_tag_gets_the_template_and_its_deletion_forgets_the_runs()
    {
        await SubscribeAsync("groups", EventDeliverySchema.EventGridSchema, "Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Resources.ResourceDeleteSuccess");
        var group = $"/subscriptions/{_host.SubscriptionId}/resourcegroups/rg-team-a";
        var prefix = RunIds.ResourceGroupPrefix(_host.SubscriptionId, "rg-team-a");

        using (var untagged = await _host.ArmAsync(HttpMethod.Put, $"/subscriptions/{_host.SubscriptionId}/resourcegroups/rg-plain?api-version=2025-04-01", """{"location":"northeurope"}"""))
        {
            Assert.Equal(HttpStatusCode.Created, untagged.StatusCode);
        }

        using (var created = await _host.ArmAsync(HttpMethod.Put, $"{group}?api-version=2025-04-01", """{"location":"northeurope","tags":{"provisioning/template":"web"}}"""))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await EventGridHost.WaitUntilAsync(async () => (await _host.InstancesAsync(prefix)).Count == 1, "the tagged group's run started");
        await WaitForDeliveriesAsync("groups", "Microsoft.Resources.ResourceWriteSuccess", 2);
        var run = Assert.Single(await _host.InstancesAsync());
        Assert.StartsWith(prefix + "web:", run.InstanceId, StringComparison.Ordinal);
        Assert.Contains("northeurope", (await _host.Client.GetInstanceAsync(run.InstanceId, getInputsAndOutputs: true))!.SerializedInput, StringComparison.Ordinal);

        using (var deleted = await _host.ArmAsync(HttpMethod.Delete, $"{group}?api-version=2025-04-01"))
        {
            Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        }

        await EventGridHost.WaitUntilAsync(async () => (await _host.InstancesAsync(prefix)).Count == 0, "the deleted group's runs were forgotten");
        await WaitForDeliveriesAsync("groups", "Microsoft.Resources.ResourceDeleteSuccess", 1);
        Assert.Null(await _host.Client.GetInstanceAsync(run.InstanceId));
    }
}
