using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Provisioning.EventGrid;
using Provisioning.Host.Http;

namespace Provisioning.Host.Sandbox;

/// <summary>
/// Subscribes the host's Event Grid webhook to the sandbox emulator once the host listens, as one would create an
/// Event Grid subscription in Azure: the emulator runs the validation handshake, then delivers image pushes and
/// resource writes and deletes to the host.
/// </summary>
internal sealed class SandboxEventSubscription(
    SandboxEnvironment sandbox,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<FunctionKeyOptions> keys,
    IOptions<EventGridTriggerOptions> triggers,
    ILogger<SandboxEventSubscription> logger) : IHostedService
{
    public const string SubscriptionName = "provisioning-host";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The handshake calls back into this host, so it can only run once the host is listening.
        lifetime.ApplicationStarted.Register(() => _ = SubscribeAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The host has no listening address.");
            var listening = new Uri(address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
            var endpoint = new Uri(listening, $"/runtime/webhooks/eventgrid?functionName={Uri.EscapeDataString(triggers.Value.FunctionName)}&code={Uri.EscapeDataString(keys.Value.SystemKey)}");
            // Through the emulator's admin API, the same for an emulator in the host and an external one: the PUT runs
            // the handshake and answers with the outcome. A restarted host replaces its subscription only when its address
            // or key changed: a working subscription is left alone, so no event raised during a restart waits on a handshake.
            using var http = sandbox.CreateHttpClient();
            var path = new Uri($"/_emulator/eventSubscriptions/{SubscriptionName}", UriKind.Relative);
            using (var existing = await http.GetAsync(path, cancellationToken))
            {
                var current = existing.IsSuccessStatusCode ? await existing.Content.ReadFromJsonAsync<JsonObject>(cancellationToken) : null;
                if ((string?)current?["provisioningState"] == "Succeeded"
                    && Uri.TryCreate((string?)current["endpoint"], UriKind.Absolute, out var subscribed) && subscribed == endpoint)
                {
                    logger.LogInformation("Sandbox Event Grid subscription {Subscription} to {Webhook} is in place", SubscriptionName, listening);
                    return;
                }
            }

            using var response = await http.PutAsJsonAsync(
                path,
                new { endpoint },
                cancellationToken);
            response.EnsureSuccessStatusCode();
            var state = (string?)(await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken))?["provisioningState"];
            logger.LogInformation("Sandbox Event Grid subscription {Subscription} to {Webhook}: {State}", SubscriptionName, listening, state);
        }
        catch (Exception error) when (error is InvalidOperationException or HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            logger.LogError(error, "The sandbox could not subscribe the host's Event Grid webhook: events from the emulator will not reach the host");
        }
    }
}
