using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>
/// Delivers published events to matching subscriptions, at least once: 200–204 is success; 400 and 413 are
/// dead-lettered at once; anything else is retried on Event Grid's backoff schedule (timers on the
/// <see cref="TimeProvider"/>) until the attempts or the time to live run out. Optional duplicate deliveries and
/// injected delivery failures come from the fault settings. An event leaves only once the change that raised it is on
/// disk; each delivery not yet done (its next attempt and when) is saved, so after a restart it is attempted again at
/// its time.
/// </summary>
internal sealed class EventDeliverer : IAsyncDisposable, IPersistentState
{
    private const string Prefix = "delivery";

    private static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
    ];

    private readonly EmulatorContext _context;
    private readonly HttpClient _http;
    private readonly Channel<Delivery> _queue = Channel.CreateUnbounded<Delivery>();
    private readonly ConcurrentQueue<DeliveryAttempt> _attempts = new();
    private readonly ConcurrentDictionary<ITimer, byte> _timers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly Dictionary<string, PendingDelivery> _pending = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _changed = new(StringComparer.OrdinalIgnoreCase);
    private bool _tracking;

    public EventDeliverer(EmulatorContext context, X509Certificate2 emulatorCertificate)
    {
        _context = context;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None || (certificate is not null && certificate.GetCertHashString() == emulatorCertificate.GetCertHashString());
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        Subscriptions = new EventSubscriptions(context, _http);
        context.Events.Published += OnPublished;
        context.Store.Removed += OnRemoved;
    }

    public EventSubscriptions Subscriptions { get; }

    public IReadOnlyList<DeliveryAttempt> Attempts => [.. _attempts];

    /// <summary>Starts the workers, and sends again (now, or at their next attempt's time) the deliveries found pending at start.</summary>
    public void Start()
    {
        for (var i = 0; i < 4; i++)
        {
            _workers.Add(Task.Run(() => WorkAsync(_stop.Token)));
        }

        lock (_context.Store.Sync)
        {
            var now = _context.Time.GetUtcNow();
            foreach (var pending in _pending.Values)
            {
                Enqueue(new Delivery(pending.Subscription, pending.Event, pending.Attempt), pending.Due - now);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _context.Events.Published -= OnPublished;
        _context.Store.Removed -= OnRemoved;
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        foreach (var timer in _timers.Keys)
        {
            await timer.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(_workers);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        _http.Dispose();
        _stop.Dispose();
    }

    /// <summary>Raised under the store lock, inside the unit of work that raised the event (which saves the deliveries).</summary>
    private void OnPublished(EmulatorEvent e)
    {
        foreach (var subscription in Subscriptions.Active)
        {
            if (subscription.Matches(e))
            {
                var delivery = new Delivery(subscription.Name, e, 1);
                Save(delivery, _context.Time.GetUtcNow());
                _queue.Writer.TryWrite(delivery);
            }
        }
    }

    /// <summary>An event subscription created through ARM goes when its resource goes (e.g. with its resource group).</summary>
    private void OnRemoved(State.StoredResource resource)
    {
        if (resource.Type.Equals(EventSubscriptionHandler.Type, StringComparison.OrdinalIgnoreCase))
        {
            Subscriptions.Delete(resource.Name);
        }
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                await DeliverAsync(delivery, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        // The change that raised the event (and this delivery) must survive a crash before anyone hears of it.
        await _context.Persistence.WaitDurableAsync(_context.CommittedPosition());
        var subscription = Subscriptions.Get(delivery.Subscription);
        if (subscription is null)
        {
            _context.Change(() => Forget(delivery), durable: false);
            return;
        }

        var faults = _context.Faults.Current;
        var status = subscription.ProvisioningState != "Succeeded" || _context.Faults.Chance(faults.DeliveryFailureRate)
            ? 0
            : await SendAsync(subscription, delivery, cancellationToken);
        var now = _context.Time.GetUtcNow();
        if (status is >= 200 and <= 204)
        {
            _context.Change(() => Forget(delivery), durable: false);
            Record(delivery, status, "Delivered");
            if (_context.Faults.Chance(faults.DuplicateDeliveryRate))
            {
                var duplicate = await SendAsync(subscription, delivery with { Attempt = delivery.Attempt + 1 }, cancellationToken);
                Record(delivery with { Attempt = delivery.Attempt + 1 }, duplicate, "Duplicate");
            }

            return;
        }

        if (status is 400 or 413 || delivery.Attempt >= subscription.MaxDeliveryAttempts || now - delivery.Event.EventTime >= subscription.EventTimeToLive)
        {
            _context.Change(() => Forget(delivery), durable: false);
            Record(delivery, status, "DeadLettered");
            return;
        }

        var wait = Backoff[Math.Min(delivery.Attempt - 1, Backoff.Length - 1)];
        var next = delivery with { Attempt = delivery.Attempt + 1 };
        _context.Change(() => Save(next, now + wait), durable: false);
        Enqueue(next, wait);

        // Recorded after the timer exists, so a test that sees the attempt can advance the clock past the retry.
        Record(delivery, status, "Retrying");
    }

    /// <summary>Queues a delivery now, or after <paramref name="wait"/> on the clock.</summary>
    private void Enqueue(Delivery delivery, TimeSpan wait)
    {
        if (wait <= TimeSpan.Zero)
        {
            _queue.Writer.TryWrite(delivery);
            return;
        }

        ITimer? timer = null;
        timer = _context.Time.CreateTimer(
            state =>
            {
                _queue.Writer.TryWrite(delivery);
                if (timer is not null && _timers.TryRemove(timer, out _))
                {
                    timer.Dispose();
                }
            },
            null,
            wait,
            Timeout.InfiniteTimeSpan);
        _timers[timer] = 0;
    }

    /// <summary>Saves a delivery's next attempt and its time (under the store lock).</summary>
    private void Save(Delivery delivery, DateTimeOffset due)
    {
        var key = Key(delivery);
        _pending[key] = new PendingDelivery(delivery.Subscription, delivery.Event, delivery.Attempt, due);
        if (_tracking)
        {
            _changed.Add(key);
        }
    }

    /// <summary>A delivery is done: delivered, dead-lettered or without a subscription (under the store lock).</summary>
    private void Forget(Delivery delivery)
    {
        var key = Key(delivery);
        if (_pending.Remove(key) && _tracking)
        {
            _changed.Add(key);
        }
    }

    private static string Key(Delivery delivery) => $"{delivery.Subscription}/{delivery.Event.Id}";

    string IPersistentState.Prefix => Prefix;

    void IPersistentState.StartTracking() => _tracking = true;

    void IPersistentState.WriteChanges(StateWriter writer)
    {
        foreach (var key in _changed)
        {
            if (_pending.TryGetValue(key, out var pending))
            {
                Write(writer, key, pending);
            }
            else
            {
                writer.Delete(Prefix, key);
            }
        }

        _changed.Clear();
    }

    void IPersistentState.WriteAll(StateWriter writer)
    {
        foreach (var (key, pending) in _pending)
        {
            Write(writer, key, pending);
        }
    }

    void IPersistentState.Restore(string key, JsonObject value)
    {
        var e = (JsonObject)value["event"]!;
        var data = (JsonObject)e["data"]!;
        e.Remove("data");
        var restored = new EmulatorEvent((string)e["id"]!, (string)e["eventType"]!, (string)e["subject"]!, (string)e["topic"]!, (DateTimeOffset)e["eventTime"]!, data, (string?)e["dataVersion"] ?? "1");
        _pending[key] = new PendingDelivery((string)value["subscription"]!, restored, (int)value["attempt"]!, (DateTimeOffset)value["due"]!);
    }

    private static void Write(StateWriter writer, string key, PendingDelivery pending)
    {
        var json = writer.Put(Prefix, key);
        json.WriteStartObject();
        json.WriteString("subscription", pending.Subscription);
        json.WriteNumber("attempt", pending.Attempt);
        json.WriteString("due", pending.Due);
        json.WriteStartObject("event");
        json.WriteString("id", pending.Event.Id);
        json.WriteString("eventType", pending.Event.EventType);
        json.WriteString("subject", pending.Event.Subject);
        json.WriteString("topic", pending.Event.Topic);
        json.WriteString("eventTime", pending.Event.EventTime);
        json.WriteString("dataVersion", pending.Event.DataVersion);
        json.WritePropertyName("data");
        pending.Event.Data.WriteTo(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private async Task<int> SendAsync(EventSubscription subscription, Delivery delivery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint);
        if (subscription.Schema == EventDeliverySchema.CloudEventSchemaV1_0)
        {
            request.Content = new StringContent(ArmJson.Serialize(EventFormats.CloudEvent(delivery.Event)), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
        }
        else
        {
            request.Content = new StringContent(ArmJson.Serialize(new System.Text.Json.Nodes.JsonArray(EventFormats.EventGrid(delivery.Event))), Encoding.UTF8, "application/json");
            request.Headers.Add("aeg-event-type", "Notification");
            request.Headers.Add("aeg-data-version", delivery.Event.DataVersion);
            request.Headers.Add("aeg-metadata-version", "1");
        }

        request.Headers.Add("aeg-subscription-name", subscription.Name.ToUpperInvariant());
        request.Headers.Add("aeg-delivery-count", (delivery.Attempt - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            _context.Logger.LogDebug(ex, "Delivery of {EventId} to {Subscription} failed", delivery.Event.Id, subscription.Name);
            return 0;
        }
    }

    private void Record(Delivery delivery, int status, string outcome)
    {
        _attempts.Enqueue(new DeliveryAttempt(delivery.Subscription, delivery.Event.Id, delivery.Event.EventType, delivery.Attempt, _context.Time.GetUtcNow(), status, outcome));
        while (_attempts.Count > 100_000 && _attempts.TryDequeue(out _))
        {
        }
    }

    private sealed record Delivery(string Subscription, EmulatorEvent Event, int Attempt);

    private sealed record PendingDelivery(string Subscription, EmulatorEvent Event, int Attempt, DateTimeOffset Due);
}
