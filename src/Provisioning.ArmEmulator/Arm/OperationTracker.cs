using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Provisioning.ArmEmulator.State;

namespace Provisioning.ArmEmulator.Arm;

/// <summary>
/// Long-running operations: each completes when its due time passes on the <see cref="TimeProvider"/> (a timer,
/// and also any request that notices it is due, so a fake clock completes them deterministically).
/// </summary>
internal sealed class OperationTracker(ResourceStore store, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, ArmOperation> _operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ArmOperation> _pending = [];

    /// <summary>Starts an operation (call under the store lock).</summary>
    public ArmOperation Start(string subscriptionId, string ns, string location, string resourceId, string method, TimeSpan duration, Func<ArmError?> complete)
    {
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
            Complete = complete,
        };
        _operations[operation.Id] = operation;
        _pending.Add(operation);
        operation.Timer = time.CreateTimer(_ => CompleteDueLocked(operation), null, UntilDue(operation, now), Timeout.InfiniteTimeSpan);
        return operation;
    }

    /// <summary>Starts an operation that ends only when <see cref="FinishManual"/> is called (call under the store lock).</summary>
    public ArmOperation StartManual(string subscriptionId, string ns, string location, string resourceId, string method)
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
            Complete = () => null,
        };
        _operations[operation.Id] = operation;
        return operation;
    }

    /// <summary>Ends a manual operation with success or the given error (call under the store lock).</summary>
    public void FinishManual(ArmOperation operation, ArmError? error)
    {
        operation.Error = error;
        operation.ErrorStatus = HttpStatusCode.BadRequest;
        operation.Status = error is null ? "Succeeded" : "Failed";
        operation.EndTime = time.GetUtcNow();
    }

    public ArmOperation? Find(string id) => _operations.GetValueOrDefault(id);

    /// <summary>Completes every operation whose due time has passed (call under the store lock).</summary>
    public void CompleteDue()
    {
        if (_pending.Count == 0)
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

    /// <summary>
    /// A timer runs on the monotonic clock while due times are read from the wall clock, so it can fire a little before
    /// its operation is due; the timer is then set again for what remains, or the operation would never end.
    /// </summary>
    private void CompleteDueLocked(ArmOperation operation)
    {
        lock (store.Sync)
        {
            CompleteDue();
            if (_pending.Contains(operation))
            {
                operation.Timer?.Change(UntilDue(operation, time.GetUtcNow()), Timeout.InfiniteTimeSpan);
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
            var error = operation.Complete();
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
        logger.LogDebug("Operation {OperationId} {Method} {ResourceId} ended {Status}", operation.Id, operation.Method, operation.ResourceId, operation.Status);
    }
}
