using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.Operations;

/// <summary>
/// Resource-agnostic ARM calls: read, begin create-or-update and begin delete any resource at an api-version,
/// returning a persistable <see cref="ArmOperationHandle"/>, and poll such a handle once. It follows
/// <c>Azure-AsyncOperation</c>, else <c>Location</c>, else the resource itself, as ARM's async guidance orders them.
/// The typed clients start their operations through it, so one poll activity and one delete activity serve every
/// resource a run creates.
/// </summary>
public sealed class ArmResourceClient
{
    private readonly ArmPipeline _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    internal ArmResourceClient(ArmPipeline pipeline, TimeProvider timeProvider, ILogger logger)
    {
        _pipeline = pipeline;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Reads a resource, or null when it does not exist.</summary>
    /// <param name="id">The resource's id.</param>
    /// <param name="apiVersion">The api-version; null for the type's current one (<see cref="ArmApiVersions.For"/>).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<JsonObject?> GetAsync(ArmResourceId id, string? apiVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), apiVersion ?? ArmApiVersions.For(id.ResourceType), null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : response.Body as JsonObject;
    }

    /// <summary>Starts a create-or-update (PUT) and returns its handle at once.</summary>
    /// <param name="id">The resource's id.</param>
    /// <param name="apiVersion">The api-version the body is written for.</param>
    /// <param name="body">The resource body.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ArmOperationHandle> BeginCreateOrUpdateAsync(ArmResourceId id, string apiVersion, JsonObject body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(body);
        var response = await _pipeline.SendAsync(RequestMethod.Put, id.ToString(), apiVersion, body, [200, 201, 202], cancellationToken);
        var handle = Handle(ArmOperationKind.CreateOrUpdate, id, apiVersion, response);
        _logger.LogInformation("{ResourceType} {Resource} create-or-update started ({Status}, completed {Completed})", id.ResourceType, id, response.Status, handle.CompletedAtStart);
        return handle;
    }

    /// <summary>Starts deleting a resource; one that does not exist gives a completed handle.</summary>
    /// <param name="id">The resource's id.</param>
    /// <param name="apiVersion">The api-version; null for the type's current one.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ArmOperationHandle> BeginDeleteAsync(ArmResourceId id, string? apiVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        apiVersion ??= ArmApiVersions.For(id.ResourceType);
        var response = await _pipeline.SendAsync(RequestMethod.Delete, id.ToString(), apiVersion, null, [200, 202, 204, 404], cancellationToken);
        _logger.LogInformation("{ResourceType} {Resource} delete started ({Status})", id.ResourceType, id, response.Status);
        return Handle(ArmOperationKind.Delete, id, apiVersion, response);
    }

    /// <summary>Starts a POST action on a resource (e.g. a container group's <c>restart</c>) and returns its handle.</summary>
    /// <param name="id">The resource's id.</param>
    /// <param name="action">The action's path segment, e.g. <c>restart</c>.</param>
    /// <param name="apiVersion">The api-version.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ArmOperationHandle> BeginActionAsync(ArmResourceId id, string action, string apiVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        var response = await _pipeline.SendAsync(RequestMethod.Post, $"{id}/{action}", apiVersion, null, [200, 202, 204], cancellationToken);
        _logger.LogInformation("{ResourceType} {Resource} {Action} started ({Status})", id.ResourceType, id, action, response.Status);
        return Handle(ArmOperationKind.Action, id, apiVersion, response);
    }

    /// <summary>Polls an operation once (any client instance can poll any handle, also one read back from a history).</summary>
    /// <param name="operation">The handle.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ArmOperationStatus> PollAsync(ArmOperationHandle operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.CompletedAtStart)
        {
            return new ArmOperationStatus(ArmOperationState.Succeeded, null, null);
        }
        if (operation.AsyncOperationUrl is { } asyncUrl)
        {
            var response = await _pipeline.GetUrlAsync(asyncUrl, [200, 201, 202], cancellationToken);
            var status = JsonRead.String(response.Body?["status"]);
            var error = response.Body?["error"] as JsonObject;
            var failure = error is not null && error["code"] is not null ? ArmPipeline.ReadErrorObject(error)
                : State(status) == ArmOperationState.Failed ? new ArmError("Failed", "The operation failed without an error body.", null, [])
                : null;
            return new ArmOperationStatus(State(status), failure, response.RetryAfter) { Body = response.Body as JsonObject };
        }
        if (operation.LocationUrl is { } locationUrl)
        {
            try
            {
                var response = await _pipeline.GetUrlAsync(locationUrl, [200, 201, 202, 204], cancellationToken);
                return new ArmOperationStatus(response.Status == 202 ? ArmOperationState.InProgress : ArmOperationState.Succeeded, null, response.RetryAfter);
            }
            catch (ArmException error) when (error.Kind != ArmErrorKind.Transient)
            {
                return new ArmOperationStatus(ArmOperationState.Failed, error.Error, null);
            }
        }

        // No status URL: the resource itself tells (a delete is done when it is gone, a PUT when its state is terminal).
        var resource = await GetAsync(operation.Resource, operation.ApiVersion, cancellationToken);
        if (operation.Kind == ArmOperationKind.Delete)
        {
            return new ArmOperationStatus(resource is null ? ArmOperationState.Succeeded : ArmOperationState.InProgress, null, null);
        }
        if (resource is null)
        {
            return new ArmOperationStatus(ArmOperationState.Failed, new ArmError("ResourceNotFound", $"The resource '{operation.ResourceId}' does not exist.", null, []), null);
        }
        var state = State(JsonRead.String(resource["properties"]?["provisioningState"]) ?? "Succeeded");
        var failed = state == ArmOperationState.Failed
            ? new ArmError("ResourceProvisioningFailed", $"The resource '{operation.Resource.Name}' failed to provision.", operation.ResourceId, [])
            : null;
        return new ArmOperationStatus(state, failed, null) { Body = resource };
    }

    /// <summary>A handle for a response to a begin call: completed when the answer carries no status URL and is final.</summary>
    internal ArmOperationHandle Handle(ArmOperationKind kind, ArmResourceId id, string apiVersion, ArmResponse response)
    {
        var provisioning = JsonRead.String(response.Body?["properties"]?["provisioningState"]);
        var hasUrl = response.AsyncOperation is not null || response.Location is not null;

        // A PUT answered 200/201 without status headers is done when its provisioningState is absent or Succeeded (ARM's
        // RPC); any other state is followed by reading the resource.
        var completed = kind switch
        {
            ArmOperationKind.Delete => response.Status is 204 or 404 || response.Status == 200 && !hasUrl,
            ArmOperationKind.CreateOrUpdate => !hasUrl && response.Status != 202 && (provisioning is null || State(provisioning) == ArmOperationState.Succeeded),
            _ => !hasUrl && response.Status != 202,
        };
        if (response.AsyncOperation is { } asyncUrl)
        {
            _pipeline.CheckedLink(asyncUrl);
        }
        if (response.Location is { } locationUrl)
        {
            _pipeline.CheckedLink(locationUrl);
        }
        return new ArmOperationHandle(
            kind,
            id.ToString(),
            completed ? null : response.AsyncOperation,
            completed ? null : response.Location,
            completed,
            _timeProvider.GetUtcNow(),
            response.RetryAfter is { } delay ? (int)Math.Ceiling(delay.TotalSeconds) : null)
        {
            ApiVersion = apiVersion,
        };
    }

    internal static ArmOperationState State(string? status) => status?.ToUpperInvariant() switch
    {
        "SUCCEEDED" => ArmOperationState.Succeeded,
        "FAILED" => ArmOperationState.Failed,
        "CANCELED" or "CANCELLED" => ArmOperationState.Canceled,
        _ => ArmOperationState.InProgress,
    };
}
