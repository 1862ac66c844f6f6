using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>
/// Microsoft.ContainerInstance/containerGroups: begin create-or-update and begin delete (long-running, returning a
/// persistable <see cref="ContainerGroupOperation"/>), poll once, get with instance view.
/// </summary>
public sealed class ContainerGroupClient
{
    /// <summary>The resource type.</summary>
    public const string ResourceType = "Microsoft.ContainerInstance/containerGroups";

    private readonly ArmPipeline _pipeline;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    internal ContainerGroupClient(ArmPipeline pipeline, TimeProvider timeProvider, ILogger logger)
    {
        _pipeline = pipeline;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Starts creating or updating a container group (PUT) and returns the operation handle at once. A
    /// synchronous refusal (e.g. <c>400 InaccessibleImage</c> while the pull grant is not yet effective) throws
    /// an <see cref="ArmException"/> classified accordingly.
    /// </summary>
    /// <param name="id">The container group's resource id.</param>
    /// <param name="definition">The body.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ContainerGroupOperation> BeginCreateOrUpdateAsync(ArmResourceId id, ContainerGroupDefinition definition, CancellationToken cancellationToken)
    {
        CheckType(id);
        ArgumentNullException.ThrowIfNull(definition);
        var response = await _pipeline.SendAsync(RequestMethod.Put, id.ToString(), ArmApiVersions.ContainerGroups, definition.ToArmBody(), [200, 201], cancellationToken);
        var state = JsonRead.String(response.Body?["properties"]?["provisioningState"]);
        var completed = response.AsyncOperation is null && response.Location is null && string.Equals(state, "Succeeded", StringComparison.OrdinalIgnoreCase);
        _logger.LogInformation("Container group {ContainerGroup} create-or-update started ({Status}, provisioningState {ProvisioningState})", id, response.Status, state);
        return Handle(ContainerGroupOperationKind.CreateOrUpdate, id, response, completed);
    }

    /// <summary>Starts deleting a container group; a group that does not exist gives a completed handle.</summary>
    /// <param name="id">The container group's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ContainerGroupOperation> BeginDeleteAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        CheckType(id);
        var response = await _pipeline.SendAsync(RequestMethod.Delete, id.ToString(), ArmApiVersions.ContainerGroups, null, [200, 202, 204, 404], cancellationToken);
        var completed = response.Status is 204 or 404 || response.Status == 200 && response.AsyncOperation is null && response.Location is null;
        _logger.LogInformation("Container group {ContainerGroup} delete started ({Status})", id, response.Status);
        return Handle(ContainerGroupOperationKind.Delete, id, response, completed);
    }

    /// <summary>Polls an operation once (any client instance can poll any handle).</summary>
    /// <param name="operation">The handle from a begin call, possibly read back from storage.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ContainerGroupOperationStatus> PollAsync(ContainerGroupOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.CompletedAtStart)
        {
            return new ContainerGroupOperationStatus(ArmOperationState.Succeeded, null, null);
        }
        if (operation.AsyncOperationUrl is { } asyncUrl)
        {
            var response = await _pipeline.GetUrlAsync(asyncUrl, [200, 201, 202], cancellationToken);
            var status = JsonRead.String(response.Body?["status"]);
            var error = response.Body?["error"] as JsonObject;
            var failure = error is not null && error["code"] is not null ? ArmPipeline.ReadErrorObject(error) : State(status) == ArmOperationState.Failed ? new ArmError("Failed", "The operation failed without an error body.", null, []) : null;
            return new ContainerGroupOperationStatus(
                State(status),
                failure is null ? null : WithEvents(failure, ReadEvents(response.Body?["properties"]?["events"])),
                response.RetryAfter);
        }
        if (operation.LocationUrl is { } locationUrl)
        {
            try
            {
                var response = await _pipeline.GetUrlAsync(locationUrl, [200, 201, 202, 204], cancellationToken);
                return new ContainerGroupOperationStatus(response.Status == 202 ? ArmOperationState.InProgress : ArmOperationState.Succeeded, null, response.RetryAfter);
            }
            catch (ArmException error) when (error.Kind != ArmErrorKind.Transient)
            {
                return new ContainerGroupOperationStatus(ArmOperationState.Failed, error.Error, null);
            }
        }
        var group = await GetAsync(operation.Resource, cancellationToken);
        if (operation.Kind == ContainerGroupOperationKind.Delete)
        {
            return new ContainerGroupOperationStatus(group is null ? ArmOperationState.Succeeded : ArmOperationState.InProgress, null, null);
        }
        if (group is null)
        {
            return new ContainerGroupOperationStatus(ArmOperationState.Failed, new ArmError("ResourceNotFound", $"The container group '{operation.ResourceId}' does not exist.", null, []), null);
        }
        var state = State(group.ProvisioningState);
        return new ContainerGroupOperationStatus(state, state == ArmOperationState.Failed ? FailureOf(group) : null, null);
    }

    /// <summary>Gets a container group with its instance view, or null when it does not exist.</summary>
    /// <param name="id">The container group's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ContainerGroupInstance?> GetAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        CheckType(id);
        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), ArmApiVersions.ContainerGroups, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : Read(response.Body);
    }

    private ContainerGroupOperation Handle(ContainerGroupOperationKind kind, ArmResourceId id, ArmResponse response, bool completed)
    {
        if (response.AsyncOperation is { } asyncUrl)
        {
            _pipeline.CheckedLink(asyncUrl);
        }
        if (response.Location is { } locationUrl)
        {
            _pipeline.CheckedLink(locationUrl);
        }
        return new ContainerGroupOperation(
            kind,
            id.ToString(),
            completed ? null : response.AsyncOperation,
            completed ? null : response.Location,
            completed,
            _timeProvider.GetUtcNow(),
            response.RetryAfter is { } delay ? (int)Math.Ceiling(delay.TotalSeconds) : null);
    }

    private static ArmOperationState State(string? status) => status?.ToUpperInvariant() switch
    {
        "SUCCEEDED" => ArmOperationState.Succeeded,
        "FAILED" => ArmOperationState.Failed,
        "CANCELED" or "CANCELLED" => ArmOperationState.Canceled,
        _ => ArmOperationState.InProgress,
    };

    private static ArmError FailureOf(ContainerGroupInstance group)
    {
        var events = group.Containers.SelectMany(c => c.Events).Concat(group.Events)
            .Where(IsFailureEvent)
            .Select(e => new ArmError(e.Name, e.Message, null, []))
            .ToArray();
        return new ArmError("ContainerGroupProvisioningFailed", $"The container group '{group.Id.Name}' failed to provision.", group.Id.ToString(), events);
    }

    /// <summary>
    /// ACI often gives a failed operation's reason only in <c>properties.events</c>: the failure events join the error,
    /// as details and in its message, so the reason reaches the run's status and its failure.
    /// </summary>
    private static ArmError WithEvents(ArmError error, IReadOnlyList<ContainerEvent> events)
    {
        var failures = events.Where(IsFailureEvent).ToArray();
        if (failures.Length == 0)
        {
            return error;
        }

        var reasons = string.Join("; ", failures.Select(e => $"{e.Name}: {e.Message}"));
        return error with
        {
            Message = $"{error.Message} Events: {reasons}",
            Details = [.. error.Details, .. failures.Select(e => new ArmError(e.Name, e.Message, null, []))],
        };
    }

    // Failure events are not always typed Warning: the REST spec's failed-group example has a Normal-typed FailedMount.
    private static bool IsFailureEvent(ContainerEvent e) =>
        !string.Equals(e.Type, "Normal", StringComparison.OrdinalIgnoreCase)
        || e.Name.StartsWith("Failed", StringComparison.OrdinalIgnoreCase)
        || e.Name is "BackOff" or "InsufficientCapacity" or "OutOfMemory" or "Error";

    private static void CheckType(ArmResourceId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.ResourceType.Equals(ResourceType, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{id}' is a {id.ResourceType}, not a {ResourceType}.", nameof(id));
        }
    }

    internal static ContainerGroupInstance Read(JsonNode? body)
    {
        var id = JsonRead.String(body?["id"]) ?? throw new ArmException(0, new ArmError("InvalidResponse", "The container group response has no 'id'.", null, []), null, null);
        var properties = body?["properties"];
        var identity = body?["identity"];
        return new ContainerGroupInstance(
            ArmResourceId.Parse(id),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.String(properties?["provisioningState"]),
            JsonRead.String(properties?["instanceView"]?["state"]),
            JsonRead.String(properties?["osType"]),
            JsonRead.String(properties?["ipAddress"]?["ip"]),
            JsonRead.String(properties?["ipAddress"]?["fqdn"]),
            JsonRead.String(identity?["type"]),
            (identity?["userAssignedIdentities"] as JsonObject)?.Select(p => p.Key).ToArray() ?? [],
            JsonRead.Objects(properties?["imageRegistryCredentials"]).Select(c => new RegistryCredentialView(JsonRead.String(c["server"]) ?? string.Empty, JsonRead.String(c["identity"]))).ToArray(),
            JsonRead.Objects(properties?["containers"]).Select(ReadContainer).ToArray(),
            ReadEvents(properties?["instanceView"]?["events"]))
        {
            Tags = JsonRead.Tags(body?["tags"]),
            Profile = ContainerGroupProfile.FromArm(properties),
        };
    }

    private static ContainerInstanceView ReadContainer(JsonObject container)
    {
        var properties = container["properties"];
        var view = properties?["instanceView"];
        var current = view?["currentState"];
        return new ContainerInstanceView(
            JsonRead.String(container["name"]) ?? string.Empty,
            JsonRead.String(properties?["image"]) ?? string.Empty,
            current is JsonObject
                ? new ContainerState(JsonRead.String(current["state"]) ?? string.Empty, JsonRead.String(current["detailStatus"]), JsonRead.Int(current["exitCode"]), JsonRead.Time(current["startTime"]))
                : null,
            JsonRead.Int(view?["restartCount"]) ?? 0,
            ReadEvents(view?["events"]));
    }

    private static ContainerEvent[] ReadEvents(JsonNode? events) =>
        JsonRead.Objects(events).Select(e => new ContainerEvent(
            JsonRead.String(e["name"]) ?? string.Empty,
            JsonRead.String(e["message"]) ?? string.Empty,
            JsonRead.String(e["type"]),
            JsonRead.Int(e["count"]) ?? 1,
            JsonRead.Time(e["firstTimestamp"]),
            JsonRead.Time(e["lastTimestamp"]))).ToArray();
}
