using System.Text.Json.Nodes;
using Azure.Core;
using Provisioning.Arm.Errors;
using Provisioning.Arm.Pipeline;
using Provisioning.Arm.Resources;

namespace Provisioning.Arm.ContainerRegistry;

/// <summary>Microsoft.ContainerRegistry/registries: get, for prerequisite checks.</summary>
public sealed class RegistryClient
{
    /// <summary>The resource type.</summary>
    public const string ResourceType = "Microsoft.ContainerRegistry/registries";

    private readonly ArmPipeline _pipeline;

    internal RegistryClient(ArmPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Gets a registry, or null when it does not exist.</summary>
    /// <param name="id">The registry's resource id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<ContainerRegistry?> GetAsync(ArmResourceId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.ResourceType.Equals(ResourceType, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{id}' is a {id.ResourceType}, not a {ResourceType}.", nameof(id));
        }
        var response = await _pipeline.SendAsync(RequestMethod.Get, id.ToString(), ArmApiVersions.Registries, null, [200, 404], cancellationToken);
        return response.Status == 404 ? null : Read(response.Body);
    }

    internal static ContainerRegistry Read(JsonNode? body)
    {
        var id = JsonRead.String(body?["id"]) ?? throw new ArmException(0, new ArmError("InvalidResponse", "The registry response has no 'id'.", null, []), null, null);
        var properties = body?["properties"];
        return new ContainerRegistry(
            ArmResourceId.Parse(id),
            JsonRead.String(body?["location"]) ?? string.Empty,
            JsonRead.String(body?["sku"]?["name"]),
            JsonRead.String(properties?["loginServer"]),
            JsonRead.String(properties?["publicNetworkAccess"]),
            JsonRead.String(properties?["networkRuleBypassOptions"]),
            JsonRead.String(properties?["networkRuleSet"]?["defaultAction"]),
            JsonRead.String(properties?["roleAssignmentMode"]),
            JsonRead.String(properties?["policies"]?["azureADAuthenticationAsArmPolicy"]?["status"]));
    }
}
