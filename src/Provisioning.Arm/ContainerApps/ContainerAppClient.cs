using System.Text.Json.Nodes;
using Azure.Core;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerApps;

/// <summary>
/// Microsoft.App: container apps, their revisions and managed environments, read as typed records. Creates and deletes
/// go through <see cref="Operations.ArmResourceClient"/> at <see cref="ArmApiVersions.ContainerApps"/>, so the run keeps
/// their operation handles in its history and the generic poll and delete activities serve them.
/// </summary>
public sealed class ContainerAppClient
{
    /// <summary>The container app type.</summary>
    public const string ResourceType = "Microsoft.App/containerApps";

    /// <summary>The managed environment type.</summary>
    public const string EnvironmentResourceType = "Microsoft.App/managedEnvironments";

    private readonly ArmPipeline _pipeline;

    internal ContainerAppClient(ArmPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Gets a container app, or null when it does not exist.</summary>
    /// <param name="id">The app's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ContainerApp?> GetAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        Require(id, ResourceType);
        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), ArmApiVersions.ContainerApps, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : ReadApp(response.Body);
    }

    /// <summary>Gets one revision of a container app, or null when it does not exist.</summary>
    /// <param name="appId">The app's resource id.</param>
    /// <param name="revisionName">The revision's name, e.g. <c>myapp--0000001</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ContainerAppRevision?> GetRevisionAsync(ArmResourceId appId, string revisionName, CancellationToken cancellationToken)
    {
        Require(appId, ResourceType);
        ArgumentException.ThrowIfNullOrEmpty(revisionName);
        var response = await _pipeline.SendAsync(RequestMethod.Get, appId.Child("revisions", revisionName).ToString(), ArmApiVersions.ContainerApps, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : ReadRevision(response.Body);
    }

    /// <summary>Gets a managed environment, or null when it does not exist.</summary>
    /// <param name="id">The environment's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ManagedEnvironment?> GetEnvironmentAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        Require(id, EnvironmentResourceType);
        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), ArmApiVersions.ManagedEnvironments, null, [200, 404], cancellationToken);
        if (response.Status == 404)
        {
            return null;
        }

        var body = response.Body;
        return new ManagedEnvironment(
            ArmResourceId.Parse(JsonRead.String(body?["id"]) ?? throw Invalid("managed environment")),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.String(body?["properties"]?["provisioningState"]),
            JsonRead.String(body?["properties"]?["defaultDomain"]),
            JsonRead.Tags(body?["tags"]));
    }

    internal static ContainerApp ReadApp(JsonNode? body)
    {
        var properties = body?["properties"];
        return new ContainerApp(
            ArmResourceId.Parse(JsonRead.String(body?["id"]) ?? throw Invalid("container app")),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.String(properties?["provisioningState"]),
            JsonRead.String(properties?["runningStatus"]),
            JsonRead.String(properties?["latestRevisionName"]),
            JsonRead.String(properties?["latestReadyRevisionName"]),
            JsonRead.String(properties?["configuration"]?["ingress"]?["fqdn"]),
            JsonRead.String(properties?["managedEnvironmentId"] ?? properties?["environmentId"]),
            JsonRead.String(body?["identity"]?["principalId"]),
            JsonRead.Tags(body?["tags"]));
    }

    internal static ContainerAppRevision ReadRevision(JsonNode? body)
    {
        var properties = body?["properties"];
        return new ContainerAppRevision(
            JsonRead.String(body?["name"]) ?? throw Invalid("revision"),
            JsonRead.String(properties?["provisioningState"]),
            JsonRead.String(properties?["runningState"]),
            JsonRead.String(properties?["healthState"]),
            JsonRead.String(properties?["provisioningError"]),
            properties?["active"] is JsonValue active && active.TryGetValue<bool>(out var isActive) && isActive);
    }

    private static void Require(ArmResourceId id, string type)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.ResourceType.Equals(type, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{id}' is a {id.ResourceType}, not a {type}.", nameof(id));
        }
    }

    private static ArmException Invalid(string what) =>
        new(0, new ArmError("InvalidResponse", $"The {what} response has no 'id' or 'name'.", null, []), null, null);
}
