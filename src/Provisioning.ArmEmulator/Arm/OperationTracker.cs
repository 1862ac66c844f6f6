using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>
/// Long-running operations: each completes when its due time passes on the <see cref="TimeProvider"/> (a timer,
/// and also any request that notices it is due, so a fake clock completes them deterministically). Completions are
/// registered by kind, so an operation is plain data: saved while pending, it completes after a restart at its due
/// time (at once if that has passed).
/// </summary>
internal sealed class OperationTracker(ResourceStore store, TimeProvider time, ILogger logger, StatePersistence persistence) : IPersistentState
{
    private readonly ConcurrentDictionary<string, ArmOperation> _operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ArmOperation> _pending = [];
    private readonly Dictionary<string, Func<ArmOperation, ArmError?>> _completions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Action<ArmOperation>> _resumes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _changed = new(StringComparer.OrdinalIgnoreCase);
    private bool _tracking;
    private bool _stopped;

    /// <summary>Registers how operations of a kind complete: apply the outcome to the store, return null or the failure.</summary>
    public void Register(string kind, Func<ArmOperation, ArmError?> complete) => _completions[kind] = complete;

    /// <summary>Registers how a manual operation of a kind found pending after a restart is taken up again.</summary>
    public void RegisterResume(string kind, Action<ArmOperation> resume) => _resumes[kind] = resume;

    /// <summary>Starts an operation (call under the store lock).</summary>
    public ArmOperation Start(string subscriptionId, string ns, string location, string resourceId, string method, TimeSpan duration, string kind, JsonObject? args = null)
    {
        if (!_completions.ContainsKey(kind))
        {
            throw new InvalidOperationException($"No completion is registered for operations of kind '{kind}'.");
        }

        var now = time.GetUtcNow();
        var operation = new ArmOperation
        {
            Id = Guid.NewGuid().ToString(),
            SubscriptionId = subscriptionId,
            Namespace = ns,
            Location = string.IsNullOrEmpty(location) ? "global" : location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
            ResourceId = resourceId,
            Method = method,
            StartTime = now,
            DueTime = now + (duration < TimeSpan.Zero ? TimeSpan.Zero : duration),
            Kind = kind,
            Args = args ?? [],
        };
        _operations[operation.Id] = operation;
        _pending.Add(operation);
        Changed(operation);
        Schedule(operation, now);
        return operation;
    }

    /// <summary>Starts an operation that ends only when <see cref="FinishManual"/> is called (call under the store lock).</summary>
    public ArmOperation StartManual(string subscriptionId, string ns, string location, string resourceId, string method, string kind, JsonObject? args = null)
    {
        var operation = new ArmOperation
        {
            Id = Guid.NewGuid().ToString(),
            SubscriptionId = subscriptionId,
            Namespace = ns,
            Location = location,
            ResourceId = resourceId,
            Method = method,
            StartTime = time.GetUtcNow(),
            DueTime = DateTimeOffset.MaxValue,
            Kind = kind,
            Args = args ?? [],
            IsManual = true,
        };
        _operations[operation.Id] = operation;
        Changed(operation);
        return operation;
    }

    /// <summary>Ends a manual operation with success or the given error (call under the store lock).</summary>
    public void FinishManual(ArmOperation operation, ArmError? error)
    {
        operation.Error = error;
        operation.ErrorStatus = HttpStatusCode.BadRequest;
        operation.Status = error is null ? "Succeeded" : "Failed";
        operation.EndTime = time.GetUtcNow();
        Changed(operation);
    }

    public ArmOperation? Find(string id) => _operations.GetValueOrDefault(id);

    /// <summary>The manual operations of a kind that have not ended (call under the store lock).</summary>
    public IEnumerable<ArmOperation> PendingManual(string kind) =>
        _operations.Values.Where(o => o.IsManual && !o.IsDone && o.Kind == kind);

    /// <summary>Completes every operation whose due time has passed (call under the store lock).</summary>
    public void CompleteDue()
    {
        if (_pending.Count == 0 || _stopped)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var operation in _pending.Where(o => o.DueTime <= now).OrderBy(o => o.DueTime).ToList())
        {
            _pending.Remove(operation);
            Finish(operation, now);
        }
    }

    /// <summary>Cancels pending operations on a resource (it was deleted); call under the store lock.</summary>
    public void CancelFor(string resourceId)
    {
        foreach (var operation in _pending.Where(o => ReferenceEquals(o.ResourceId, resourceId) || o.ResourceId.Equals(resourceId, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            if (operation.Method == "DELETE")
            {
                continue;
            }

            _pending.Remove(operation);
            operation.Status = "Canceled";
            operation.EndTime = time.GetUtcNow();
            operation.Timer?.Dispose();
            Changed(operation);
        }
    }

    /// <summary>
    /// After a restart (call under the store lock, once the providers registered): sets the timers of the pending
    /// operations and hands pending manual ones back to their providers.
    /// </summary>
    public void Resume()
    {
        var now = time.GetUtcNow();
        foreach (var operation in _pending)
        {
            Schedule(operation, now);
        }

        foreach (var operation in _operations.Values.Where(o => o.IsManual && !o.IsDone).ToList())
        {
            if (_resumes.TryGetValue(operation.Kind, out var resume))
            {
                resume(operation);
            }
        }
    }

    /// <summary>Stops every timer (shutdown); operations left pending stay saved and complete after the next start.</summary>
    public void Stop()
    {
        lock (store.Sync)
        {
            _stopped = true;
            foreach (var operation in _pending)
            {
                operation.Timer?.Dispose();
            }
        }
    }

    /// <summary>The operation-status resource body.</summary>
    public static JsonObject StatusBody(ArmOperation operation)
    {
        var body = new JsonObject
        {
            ["id"] = $"/subscriptions/{operation.SubscriptionId}/providers/{operation.Namespace}/locations/{operation.Location}/operationStatuses/{operation.Id}",
            ["name"] = operation.Id,
            ["status"] = operation.Status,
            ["startTime"] = ArmJson.Time(operation.StartTime),
        };
        if (operation.EndTime is { } end)
        {
            body["endTime"] = ArmJson.Time(end);
        }

        if (operation.Error is { } error)
        {
            body["error"] = error.ToJsonObject();
        }

        // Some providers (ACI) give a failed operation's reasons as events under properties, often not in 'error'.
        if (operation.Args["events"] is JsonArray events && events.Count > 0)
        {
            body["properties"] = new JsonObject { ["events"] = events.DeepClone() };
        }

        return body;
    }

    /// <summary>Adds <c>Azure-AsyncOperation</c>, <c>Location</c> and <c>Retry-After</c> for an operation.</summary>
    public static ArmResponse WithAsyncHeaders(ArmResponse response, ArmOperation operation, Uri baseUri, string apiVersion, int retryAfterSeconds, bool azureAsyncOperation = true, bool location = true)
    {
        var prefix = $"{baseUri.ToString().TrimEnd('/')}/subscriptions/{operation.SubscriptionId}/providers/{operation.Namespace}/locations/{operation.Location}";
        if (azureAsyncOperation)
        {
            response.Headers["Azure-AsyncOperation"] = $"{prefix}/operationStatuses/{operation.Id}?api-version={apiVersion}";
        }

        if (location)
        {
            response.Headers["Location"] = $"{prefix}/operationResults/{operation.Id}?api-version={apiVersion}";
        }

        response.Headers["Retry-After"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return response;
    }

    private void Schedule(ArmOperation operation, DateTimeOffset now) =>
        operation.Timer = time.CreateTimer(_ => CompleteDueLocked(operation), null, UntilDue(operation, now), Timeout.InfiniteTimeSpan);

    /// <summary>
    /// A timer runs on the monotonic clock while due times are read from the wall clock, so it can fire a little before
    /// its operation is due; the timer is then set again for what remains, or the operation would never end.
    /// </summary>
    private void CompleteDueLocked(ArmOperation operation)
    {
        lock (store.Sync)
        {
            if (_stopped)
            {
                return;
            }

            CompleteDue();
            if (_pending.Contains(operation))
            {
                operation.Timer?.Change(UntilDue(operation, time.GetUtcNow()), Timeout.InfiniteTimeSpan);
            }

            try
            {
                // Nobody waits for this change: the next answer that reveals it waits until it is on disk.
                persistence.Commit();
            }
#pragma warning disable CA1031 // A timer thread must not die; the failure is logged and every later request reports it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Saving the completion of operation {OperationId} failed", operation.Id);
            }
        }
    }

    private static TimeSpan UntilDue(ArmOperation operation, DateTimeOffset now)
    {
        var remaining = operation.DueTime - now;
        return remaining < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : remaining;
    }

    private void Finish(ArmOperation operation, DateTimeOffset now)
    {
        operation.Timer?.Dispose();
        try
        {
            var error = _completions[operation.Kind](operation);
            operation.Error = error;
            operation.Status = error is null ? "Succeeded" : "Failed";
            if (error is not null)
            {
                operation.ErrorStatus = error.Code is "InaccessibleImage" or "InvalidImageRegistryIdentity" ? HttpStatusCode.BadRequest : HttpStatusCode.InternalServerError;
            }
        }
#pragma warning disable CA1031 // An operation that throws fails; the emulator keeps serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Operation {OperationId} on {ResourceId} threw", operation.Id, operation.ResourceId);
            operation.Error = new ArmError("InternalServerError", ex.Message);
            operation.Status = "Failed";
        }

        operation.EndTime = now;
        Changed(operation);
        logger.LogDebug("Operation {OperationId} {Method} {ResourceId} ended {Status}", operation.Id, operation.Method, operation.ResourceId, operation.Status);
    }

    private void Changed(ArmOperation operation)
    {
        if (_tracking)
        {
            _changed.Add(operation.Id);
        }
    }

    string IPersistentState.Prefix => "operation";

    void IPersistentState.StartTracking() => _tracking = true;

    void IPersistentState.WriteChanges(StateWriter writer)
    {
        foreach (var id in _changed)
        {
            if (_operations.TryGetValue(id, out var operation))
            {
                Write(writer.Put("operation", id), operation);
            }
        }

        _changed.Clear();
    }

    void IPersistentState.WriteAll(StateWriter writer)
    {
        foreach (var operation in _operations.Values)
        {
            Write(writer.Put("operation", operation.Id), operation);
        }
    }

    void IPersistentState.Restore(string key, JsonObject value)
    {
        var args = value["args"] as JsonObject ?? [];
        value.Remove("args");
        var operation = new ArmOperation
        {
            Id = (string)value["id"]!,
            SubscriptionId = (string)value["subscriptionId"]!,
            Namespace = (string)value["namespace"]!,
            Location = (string)value["location"]!,
            ResourceId = (string)value["resourceId"]!,
            Method = (string)value["method"]!,
            StartTime = (DateTimeOffset)value["startTime"]!,
            DueTime = (DateTimeOffset)value["dueTime"]!,
            Kind = (string)value["kind"]!,
            Args = args,
            IsManual = (bool?)value["manual"] ?? false,
            Status = (string)value["status"]!,
            Error = ReadError(value["error"] as JsonObject),
            ErrorStatus = (HttpStatusCode)((int?)value["errorStatus"] ?? 500),
            EndTime = (DateTimeOffset?)value["endTime"],
        };
        _operations[operation.Id] = operation;
        if (!operation.IsDone && !operation.IsManual)
        {
            _pending.Add(operation);
        }
    }

    private static void Write(Utf8JsonWriter json, ArmOperation operation)
    {
        json.WriteStartObject();
        json.WriteString("id", operation.Id);
        json.WriteString("subscriptionId", operation.SubscriptionId);
        json.WriteString("namespace", operation.Namespace);
        json.WriteString("location", operation.Location);
        json.WriteString("resourceId", operation.ResourceId);
        json.WriteString("method", operation.Method);
        json.WriteString("startTime", operation.StartTime);
        json.WriteString("dueTime", operation.DueTime);
        json.WriteString("kind", operation.Kind);
        json.WritePropertyName("args");
        operation.Args.WriteTo(json);
        if (operation.IsManual)
        {
            json.WriteBoolean("manual", true);
        }

        json.WriteString("status", operation.Status);
        if (operation.Error is { } error)
        {
            json.WritePropertyName("error");
            error.ToJsonObject().WriteTo(json);
            json.WriteNumber("errorStatus", (int)operation.ErrorStatus);
        }

        if (operation.EndTime is { } end)
        {
            json.WriteString("endTime", end);
        }

        json.WriteEndObject();
    }

    private static ArmError? ReadError(JsonObject? error) => error is null
        ? null
        : new ArmError(
            (string)error["code"]!,
            (string)error["message"]!,
            (string?)error["target"],
            (error["details"] as JsonArray)?.Select(d => ReadError((JsonObject)d!)!).ToList());
}
