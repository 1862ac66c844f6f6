using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Provisioning.ArmEmulator.Tests;

/// <summary>A tiny Kestrel webhook on 127.0.0.1 that answers Event Grid handshakes and records deliveries.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _statuses = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Answer, Ignore (200 without the code) or Refuse (403) the Event Grid validation event.</summary>
    public string ValidationMode { get; set; } = "Answer";

    /// <summary>Whether OPTIONS answers WebHook-Allowed-Origin.</summary>
    public bool AllowCloudEvents { get; set; } = true;

    public ConcurrentQueue<Received> Validations { get; } = new();

    /// <summary>Completed to let a held validation answer (see <see cref="HoldValidation"/>).</summary>
    public TaskCompletionSource ValidationRelease { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether a validation request waits for <see cref="ValidationRelease"/> before it is answered.</summary>
    public bool HoldValidation { get; set; }

    public ConcurrentQueue<Received> Notifications { get; } = new();

    public ConcurrentQueue<string> OptionsOrigins { get; } = new();

    /// <summary>Statuses to answer notifications with, in order; 200 once exhausted.</summary>
    public void RespondWith(params int[] statuses)
    {
        foreach (var s in statuses)
        {
            _statuses.Enqueue(s);
        }
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Endpoint = new Uri(address + "/api/events");
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        if (HttpMethods.IsOptions(http.Request.Method))
        {
            var origin = http.Request.Headers["WebHook-Request-Origin"].ToString();
            OptionsOrigins.Enqueue(origin);
            if (AllowCloudEvents)
            {
                http.Response.Headers["WebHook-Allowed-Origin"] = origin;
                http.Response.Headers["Allow"] = "POST";
            }

            http.Response.StatusCode = 200;
            return;
        }

        using var reader = new StreamReader(http.Request.Body);
        var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
        var received = new Received(
            http.Request.Headers["aeg-event-type"].ToString(),
            http.Request.Headers["aeg-delivery-count"].ToString(),
            http.Request.ContentType ?? string.Empty,
            body);
        if (received.EventType == "SubscriptionValidation")
        {
            Validations.Enqueue(received);
            if (HoldValidation)
            {
                await ValidationRelease.Task;
            }

            switch (ValidationMode)
            {
                case "Answer":
                    await http.Response.WriteAsJsonAsync(new { validationResponse = body[0]!["data"]!["validationCode"]!.GetValue<string>() });
                    return;
                case "Ignore":
                    http.Response.StatusCode = 200;
                    return;
                default:
                    http.Response.StatusCode = 403;
                    return;
            }
        }

        Notifications.Enqueue(received);
        http.Response.StatusCode = _statuses.TryDequeue(out var status) ? status : 200;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed record Received(string EventType, string DeliveryCount, string ContentType, JsonNode Body)
    {
        /// <summary>The event (first array element in the Event Grid schema, the body in CloudEvents).</summary>
        public JsonNode Event => Body is JsonArray a ? a[0]! : Body;
    }
}
