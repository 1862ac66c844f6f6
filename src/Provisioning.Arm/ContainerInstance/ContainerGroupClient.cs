using System.Text.Json.Nodes;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Operations;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerInstance;

/// <summary>
/// Microsoft.ContainerInstance/containerGroups: begin create-or-update and begin delete (long-running, returning a
/// persistable <see cref="ArmOperationHandle"/> through <see cref="ArmResourceClient"/>), poll once, get with instance view.
/// </summary>
public sealed class ContainerGroupClient
{
    /// <summary>The resource type.</summary>
    public const string ResourceType = "Microsoft.ContainerInstance/containerGroups";

    private readonly ArmResourceClient _resources;

    internal ContainerGroupClient(ArmResourceClient resources)
    {
        _resources = resources;
    }

    /// <summary>
    /// Starts creating or updating a container group (PUT) and returns the operation handle at once. A
    /// synchronous refusal (e.g. <c>400 InaccessibleImage</c> while the pull grant is not yet effective) throws
    /// an <see cref="ArmException"/> classified accordingly.
    /// </summary>
    /// <param name="id">The container group's resource id.</param>
    /// <param name="definition">The body.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ArmOperationHandle> BeginCreateOrUpdateAsync(ArmResourceId id, ContainerGroupDefinition definition, CancellationToken cancellationToken)
    {
        CheckType(id);
        ArgumentNullException.ThrowIfNull(definition);
        return _resources.BeginCreateOrUpdateAsync(id, ArmApiVersions.ContainerGroups, definition.ToArmBody(), cancellationToken);
    }

    /// <summary>Starts creating or updating a container group from its ARM body (<c>{location, tags, identity, properties}</c>).</summary>
    /// <param name="id">The container group's resource id.</param>
    /// <param name="body">The body.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ArmOperationHandle> BeginCreateOrUpdateAsync(ArmResourceId id, JsonObject body, CancellationToken cancellationToken)
    {
        CheckType(id);
        ArgumentNullException.ThrowIfNull(body);
        return _resources.BeginCreateOrUpdateAsync(id, ArmApiVersions.ContainerGroups, body, cancellationToken);
    }

    /// <summary>
    /// Starts restarting every container of a group in place (<c>POST …/restart</c>, long-running, 204 with status
    /// headers): ACI pulls the images again, so a group whose pull was refused runs once the grant is effective,
    /// without a delete and a create.
    /// </summary>
    /// <param name="id">The container group's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ArmOperationHandle> BeginRestartAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        CheckType(id);
        return _resources.BeginActionAsync(id, "restart", ArmApiVersions.ContainerGroups, cancellationToken);
    }

    /// <summary>Starts deleting a container group; a group that does not exist gives a completed handle.</summary>
    /// <param name="id">The container group's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ArmOperationHandle> BeginDeleteAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        CheckType(id);
        return _resources.BeginDeleteAsync(id, ArmApiVersions.ContainerGroups, cancellationToken);
    }

    /// <summary>
    /// Polls an operation once (any client instance can poll any handle). ACI often gives a failed operation's reason
    /// only in <c>properties.events</c>, of the status resource or of the group: those failure events join the error.
    /// </summary>
    /// <param name="operation">The handle from a begin call, possibly read back from storage.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ArmOperationStatus> PollAsync(ArmOperationHandle operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var status = await _resources.PollAsync(operation, cancellationToken);
        if (status.Error is not { } error)
        {
            return status;
        }
        if (operation.AsyncOperationUrl is not null)
        {
            return status with { Error = WithEvents(error, ReadEvents(status.Body?["properties"]?["events"])) };
        }
        return operation.LocationUrl is null && status.Body is { } body ? status with { Error = FailureOf(Read(body)) } : status;
    }

    /// <summary>Gets a container group with its instance view, or null when it does not exist.</summary>
    /// <param name="id">The container group's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ContainerGroupInstance?> GetAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        CheckType(id);
        var body = await _resources.GetAsync(id, ArmApiVersions.ContainerGroups, cancellationToken);
        return body is null ? null : Read(body);
    }

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
