using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.Arm;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.EventGrid;

/// <summary>
/// The Event Grid subscriptions to the emulator's events. Creating one performs Event Grid's validation
/// handshake first: a <c>Microsoft.EventGrid.SubscriptionValidationEvent</c> (Event Grid schema; the endpoint
/// answers <c>{"validationResponse": code}</c>, or later opens the <c>validationUrl</c>) or an HTTP OPTIONS with
/// <c>WebHook-Request-Origin</c> (CloudEvents; the endpoint answers <c>WebHook-Allowed-Origin</c>).
/// </summary>
public sealed class EventSubscriptions : IPersistentState
{
    private const string Origin = "eventgrid.azure.net";
    private const string Prefix = "eventSubscription";
    private readonly ConcurrentDictionary<string, EventSubscription> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _pendingCodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _changed = new(StringComparer.OrdinalIgnoreCase);
    private readonly EmulatorContext _context;
    private readonly HttpClient _http;
    private bool _tracking;

    internal EventSubscriptions(EmulatorContext context, HttpClient http)
    {
        _context = context;
        _http = http;
    }

    /// <summary>Raised when a validation handshake ends (after it is saved), with the subscription's name and its result.</summary>
    internal event Action<string, EventSubscription>? HandshakeEnded;

    /// <summary>Every subscription.</summary>
    public IReadOnlyList<EventSubscription> List() => [.. _subscriptions.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>A subscription by name, or null.</summary>
    public EventSubscription? Get(string name) => _subscriptions.GetValueOrDefault(name);

    /// <summary>Removes a subscription; pending deliveries to it are dropped. Returns once the removal is saved.</summary>
    public bool Delete(string name) => _context.Change(() =>
    {
        _pendingCodes.TryRemove(name, out _);
        var removed = _subscriptions.TryRemove(name, out _);
        MarkChanged(name);
        return removed;
    });

    /// <summary>
    /// Creates or replaces a subscription and performs the validation handshake; returns it with
    /// <c>ProvisioningState</c> Succeeded, AwaitingManualAction (Event Grid schema, 200 without the code: open the
    /// validation URL) or Failed.
    /// </summary>
    public async Task<EventSubscription> CreateOrUpdateAsync(EventSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!IsLoopback(subscription.Endpoint))
        {
            throw new ArgumentException("The emulator only delivers to loopback endpoints.", nameof(subscription));
        }

        // While an update's handshake runs, a working subscription keeps delivering (events raised meanwhile are not
        // lost); a new one is listed as Creating until its handshake ends.
        var creating = subscription with { ProvisioningState = "Creating", Error = null };
        var current = _context.Change(() =>
        {
            if (_subscriptions.TryGetValue(subscription.Name, out var existing) && existing.ProvisioningState == "Succeeded")
            {
                return existing;
            }

            _subscriptions[subscription.Name] = creating;
            MarkChanged(subscription.Name);
            return creating;
        });
        return await HandshakeAsync(creating, current, cancellationToken);
    }

    /// <summary>
    /// After a restart: runs again the handshake of every subscription that was still being created (the emulator
    /// stopped during it), in the background. Their outcomes are raised through <see cref="HandshakeEnded"/>.
    /// </summary>
    internal void ResumeHandshakes(CancellationToken cancellationToken)
    {
        foreach (var creating in _subscriptions.Values.Where(s => s.ProvisioningState == "Creating").ToList())
        {
            _ = Task.Run(
                async () =>
                {
                    try
                    {
                        await HandshakeAsync(creating, creating, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        // Stopping: the subscription stays Creating and is resumed on the next start.
                    }
                },
                cancellationToken);
        }
    }

    private async Task<EventSubscription> HandshakeAsync(EventSubscription creating, EventSubscription current, CancellationToken cancellationToken)
    {
        var (state, error) = creating.Schema == EventDeliverySchema.CloudEventSchemaV1_0
            ? await CloudEventsHandshakeAsync(creating, cancellationToken)
            : await EventGridHandshakeAsync(creating, cancellationToken);
        var result = creating with { ProvisioningState = state, Error = error };

        // A subscription deleted (or replaced) while its handshake ran is not brought back.
        _context.Change(() =>
        {
            if (_subscriptions.TryUpdate(creating.Name, result, current))
            {
                MarkChanged(creating.Name);
            }
        });
        _context.Logger.LogInformation("Event subscription {Name} to {Endpoint}: {State} {Error}", creating.Name, creating.Endpoint, state, error);
        HandshakeEnded?.Invoke(creating.Name, result);
        return result;
    }

    /// <summary>Completes a manual validation (the <c>validationUrl</c> of the validation event).</summary>
    public bool Validate(string name, string code) => _context.Change(() =>
    {
        if (!_pendingCodes.TryGetValue(name, out var expected) || expected != code || !_subscriptions.TryGetValue(name, out var s))
        {
            return false;
        }

        _subscriptions[name] = s with { ProvisioningState = "Succeeded", Error = null };
        _pendingCodes.TryRemove(name, out _);
        MarkChanged(name);
        return true;
    });

    internal IEnumerable<EventSubscription> Active => _subscriptions.Values.Where(s => s.ProvisioningState == "Succeeded");

    private void MarkChanged(string name)
    {
        if (_tracking)
        {
            _changed.Add(name);
        }
    }

    string IPersistentState.Prefix => Prefix;

    void IPersistentState.StartTracking() => _tracking = true;

    void IPersistentState.WriteChanges(StateWriter writer)
    {
        foreach (var name in _changed)
        {
            if (_subscriptions.TryGetValue(name, out var subscription))
            {
                Write(writer, subscription);
            }
            else
            {
                writer.Delete(Prefix, name);
            }
        }

        _changed.Clear();
    }

    void IPersistentState.WriteAll(StateWriter writer)
    {
        foreach (var subscription in _subscriptions.Values)
        {
            Write(writer, subscription);
        }
    }

    void IPersistentState.Restore(string key, JsonObject value)
    {
        var subscription = new EventSubscription
        {
            Name = (string)value["name"]!,
            Endpoint = new Uri((string)value["endpoint"]!),
            Schema = Enum.Parse<EventDeliverySchema>((string)value["schema"]!),
            Scope = (string?)value["scope"],
            IncludedEventTypes = (value["includedEventTypes"] as JsonArray)?.Select(t => (string)t!).ToList(),
            SubjectBeginsWith = (string?)value["subjectBeginsWith"],
            SubjectEndsWith = (string?)value["subjectEndsWith"],
            IsSubjectCaseSensitive = (bool?)value["isSubjectCaseSensitive"] ?? false,
            MaxDeliveryAttempts = (int?)value["maxDeliveryAttempts"] ?? 30,
            EventTimeToLive = TimeSpan.Parse((string)value["eventTimeToLive"]!, CultureInfo.InvariantCulture),
            ProvisioningState = (string)value["provisioningState"]!,
            Error = (string?)value["error"],
        };
        _subscriptions[subscription.Name] = subscription;
        if ((string?)value["validationCode"] is { } code)
        {
            _pendingCodes[subscription.Name] = code;
        }
    }

    private void Write(StateWriter writer, EventSubscription subscription)
    {
        var json = writer.Put(Prefix, subscription.Name);
        json.WriteStartObject();
        json.WriteString("name", subscription.Name);
        json.WriteString("endpoint", subscription.Endpoint.OriginalString);
        json.WriteString("schema", subscription.Schema.ToString());
        WriteOptional(json, "scope", subscription.Scope);
        if (subscription.IncludedEventTypes is { } types)
        {
            json.WriteStartArray("includedEventTypes");
            foreach (var type in types)
            {
                json.WriteStringValue(type);
            }

            json.WriteEndArray();
        }

        WriteOptional(json, "subjectBeginsWith", subscription.SubjectBeginsWith);
        WriteOptional(json, "subjectEndsWith", subscription.SubjectEndsWith);
        json.WriteBoolean("isSubjectCaseSensitive", subscription.IsSubjectCaseSensitive);
        json.WriteNumber("maxDeliveryAttempts", subscription.MaxDeliveryAttempts);
        json.WriteString("eventTimeToLive", subscription.EventTimeToLive.ToString("c", CultureInfo.InvariantCulture));
        json.WriteString("provisioningState", subscription.ProvisioningState);
        WriteOptional(json, "error", subscription.Error);
        WriteOptional(json, "validationCode", _pendingCodes.GetValueOrDefault(subscription.Name));
        json.WriteEndObject();
    }

    private static void WriteOptional(System.Text.Json.Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static bool IsLoopback(Uri endpoint) =>
        endpoint.IsAbsoluteUri
        && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)
        && (endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

    private async Task<(string State, string? Error)> EventGridHandshakeAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        var code = Guid.NewGuid().ToString().ToUpperInvariant();
        _context.Change(
            () =>
            {
                _pendingCodes[subscription.Name] = code;
                MarkChanged(subscription.Name);
            },
            durable: false);
        var validationUrl = $"{_context.BaseUri.ToString().TrimEnd('/')}/_emulator/eventSubscriptions/{Uri.EscapeDataString(subscription.Name)}/validate?code={code}";
        var validation = new EmulatorEvent(
            Guid.NewGuid().ToString(),
            "Microsoft.EventGrid.SubscriptionValidationEvent",
            string.Empty,
            subscription.Scope ?? $"/subscriptions/{_context.SubscriptionId}",
            _context.Time.GetUtcNow(),
            new JsonObject { ["validationCode"] = code, ["validationUrl"] = validationUrl },
            "2");
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint)
        {
            Content = new StringContent(ArmJson.Serialize(new JsonArray(EventFormats.EventGrid(validation))), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("aeg-event-type", "SubscriptionValidation");
        request.Headers.Add("aeg-subscription-name", subscription.Name.ToUpperInvariant());
        request.Headers.Add("aeg-delivery-count", "0");
        request.Headers.Add("aeg-data-version", "2");
        request.Headers.Add("aeg-metadata-version", "1");
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return ("Failed", $"Webhook validation handshake failed for {subscription.Endpoint}. Http POST request failed with response code {(int)response.StatusCode}.");
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var answer = TryParse(text) is JsonObject o
                ? o.FirstOrDefault(kv => kv.Key.Equals("validationResponse", StringComparison.OrdinalIgnoreCase)).Value?.ToString()
                : null;
            if (answer == code)
            {
                _context.Change(
                    () =>
                    {
                        _pendingCodes.TryRemove(subscription.Name, out _);
                        MarkChanged(subscription.Name);
                    },
                    durable: false);
                return ("Succeeded", null);
            }

            // Only the manual validation URL can complete the subscription now.
            return _subscriptions.TryGetValue(subscription.Name, out var current) && current.ProvisioningState == "Succeeded"
                ? ("Succeeded", null)
                : ("AwaitingManualAction", "The endpoint did not return the validation code; open the validationUrl to complete validation.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ("Failed", $"Webhook validation handshake failed for {subscription.Endpoint}: {ex.Message}");
        }
    }

    private async Task<(string State, string? Error)> CloudEventsHandshakeAsync(EventSubscription subscription, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, subscription.Endpoint);
        request.Headers.Add("WebHook-Request-Origin", Origin);
        request.Headers.Add("WebHook-Request-Rate", "120");
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var allowed = response.Headers.TryGetValues("WebHook-Allowed-Origin", out var values) ? values.FirstOrDefault() : null;
            return response.StatusCode == HttpStatusCode.OK && (allowed == "*" || string.Equals(allowed, Origin, StringComparison.OrdinalIgnoreCase))
                ? ("Succeeded", null)
                : ("Failed", $"Webhook validation handshake failed for {subscription.Endpoint}. OPTIONS returned {(int)response.StatusCode} with WebHook-Allowed-Origin '{allowed}'.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ("Failed", $"Webhook validation handshake failed for {subscription.Endpoint}: {ex.Message}");
        }
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
